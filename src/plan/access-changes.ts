import {portsOf} from '../linkerd/policy.js'
import type {Plan} from './types.js'

/** Who gains or loses access to a service's port in a cluster, as the plan's policy changes imply. */
export interface AccessChange {
  /** `+` gains access, `-` loses it, `!` every caller not listed loses it. */
  readonly sign: '+' | '-' | '!'
  /** The caller as the spec names it (`north/mc-demo/frontend`), or `every other caller`. */
  readonly caller: string
  /** `east/mc-demo/api:8080` */
  readonly target: string
  readonly line: string
  /** A caller that has access now loses it: listed first, and flagged in a PR comment. */
  readonly destructive: boolean
}

/**
 * The access changes of a plan, in words, from each `linkerd_authorization` change's before and
 * after: the callers each port admits. A port that had no Server admitted every caller, so putting
 * a Server on it denies everyone the spec does not list; removing one opens the port to all.
 */
export function accessChanges(plan: Plan): AccessChange[] {
  const out: AccessChange[] = []
  for (const c of plan.resource_changes) {
    if (c.kind !== 'linkerd_authorization' || c.action === 'no-op') continue
    const attrs = c.after ?? c.before!
    const before = c.action === 'create' ? [] : portsOf(c.before)
    const after = c.action === 'delete' ? [] : portsOf(c.after)
    const portsSeen = [...new Set([...before, ...after].map((p) => p.port))].sort((a, b) => a - b)
    for (const port of portsSeen) {
      const target = `${c.cluster}/${String(attrs.namespace)}/${String(attrs.service)}:${port}`
      const was = before.find((p) => p.port === port)
      const will = after.find((p) => p.port === port)
      const add = (sign: AccessChange['sign'], caller: string, what: string, destructive: boolean) => out.push({sign, caller, target, destructive, line: `${sign} ${caller} → ${target}: ${what}`})
      const audit = String(attrs.access_policy) === 'audit'
      if (!was && will) {
        if (audit) add('!', 'every other caller', 'audited: still admitted, and logged as denied (no Server restricted the port before)', false)
        else add('!', 'every other caller', 'denied (no Server restricted the port before)', true)
      }
      if (was && !will) add('+', 'every caller', 'allowed (its Server goes)', false)
      for (const caller of will?.callers ?? []) {
        if (was?.callers.includes(caller)) continue
        const gateway = / via (.+)'s gateway$/.exec(caller)?.[1]
        add('+', caller, gateway ? `allowed, and with it every workload that reaches ${gateway}'s gateway` : 'allowed', false)
      }
      for (const caller of was?.callers ?? []) if (will && !will.callers.includes(caller)) add('-', caller, 'denied', true)
      // Identities changed by hand under the same callers: whoever they admitted is denied again.
      if (was && will && sameList(was.callers, will.callers) && !sameList(was.identities, will.identities)) {
        add('-', `identities set by hand (${was.identities.join(', ') || 'none'})`, 'denied: back to the spec’s callers', true)
      }
    }
  }
  return [...out.filter((a) => a.destructive), ...out.filter((a) => !a.destructive)]
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i])
