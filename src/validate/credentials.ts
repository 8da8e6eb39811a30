import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {formatDuration, parseDuration} from '../util/duration.js'
import type {RuleContext} from './context.js'

/** The TokenRequest API refuses `expirationSeconds` under ten minutes. */
export const MIN_TOKEN_VALIDITY_MS = 10 * 60_000

/**
 * Link credentials a target's API server would refuse, or that would be due for renewal the
 * moment they are issued (every apply would make a new generation).
 */
export function credentialRules(ctx: RuleContext): Diagnostic[] {
  const {validity, renewBefore} = ctx.spec.spec.linkerd.linkCredentials
  const v = parseDuration(validity)
  const r = parseDuration(renewBefore)
  const path = ['spec', 'linkerd', 'linkCredentials']
  const out: Diagnostic[] = []
  if (v !== undefined && v < MIN_TOKEN_VALIDITY_MS) {
    out.push({
      severity: 'error',
      rule: 'credentials/validity-too-short',
      message: `link credentials validity ${validity} is shorter than the ${formatDuration(MIN_TOKEN_VALIDITY_MS)} the TokenRequest API grants at the least: every target would refuse the token request`,
      locations: [ctx.at([...path, 'validity'])],
      hint: 'ask for 10m or more; tokens are renewed renewBefore ahead of their expiry, e.g. validity 2160h with renewBefore 720h',
    })
  }
  if (v !== undefined && r !== undefined && r >= v) {
    out.push({
      severity: 'error',
      rule: 'credentials/renew-before-validity',
      message: `link credentials renewBefore ${renewBefore} is not shorter than their validity ${validity}: every token would be due for renewal the moment it is issued`,
      locations: [ctx.at([...path, 'renewBefore']), ctx.at([...path, 'validity'])],
      hint: 'renew well inside the validity, e.g. validity 2160h with renewBefore 720h, or validity 10m with renewBefore 9m',
    })
  }
  return out
}
