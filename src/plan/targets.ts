import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {closest} from '../util/suggest.js'
import type {ResourceChange} from './types.js'

/**
 * Terraform's `-target`: the named resources and everything they depend on. What goes away goes
 * with its dependents, since they cannot outlive it (a subnet replaced with its network, a Link
 * deleted before its cluster); dependencies that are themselves being deleted are not pulled in,
 * because the target does not need them gone.
 */
export function targetedAddresses(changes: readonly ResourceChange[], targets: readonly string[]): Set<string> {
  const byAddress = new Map(changes.map((c) => [c.address, c]))
  const dependents = new Map<string, string[]>()
  for (const c of changes) for (const d of c.depends_on) dependents.set(d, [...(dependents.get(d) ?? []), c.address])
  const kept = new Set<string>()
  const queue = targets.filter((t) => byAddress.has(t))
  const goesAway = (c: ResourceChange) => c.action === 'delete' || c.action === 'replace'
  while (queue.length > 0) {
    const address = queue.pop()!
    if (kept.has(address)) continue
    kept.add(address)
    const change = byAddress.get(address)!
    for (const d of change.depends_on) if (byAddress.has(d) && byAddress.get(d)!.action !== 'delete') queue.push(d)
    if (goesAway(change)) for (const d of dependents.get(address) ?? []) if (goesAway(byAddress.get(d)!)) queue.push(d)
  }
  return kept
}

/** One error per address the plan does not know, with the nearest one it does. */
export function unknownAddresses(flag: '--target' | '--replace', addresses: readonly string[], known: readonly string[]): Diagnostic[] {
  const set = new Set(known)
  return addresses
    .filter((a) => !set.has(a))
    .map((a) => {
      const guess = closest(a, known)
      return {
        severity: 'error' as const,
        rule: 'plan/unknown-address',
        message: `${flag} ${a} names no resource of this federation`,
        locations: [],
        hint: guess ? `did you mean ${guess}?` : '`mcfed plan --offline` lists every address the spec implies',
      }
    })
}
