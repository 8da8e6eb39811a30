import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {parseDuration} from '../util/duration.js'
import type {RuleContext} from './context.js'

/** An issuer that must be renewed before it is even issued would be replaced on every apply. */
export function certRules(ctx: RuleContext): Diagnostic[] {
  const {validity, renewBefore} = ctx.spec.spec.linkerd.issuer
  const v = parseDuration(validity)
  const r = parseDuration(renewBefore)
  if (v === undefined || r === undefined || r < v) return []
  return [
    {
      severity: 'error',
      rule: 'certs/renew-before-validity',
      message: `issuer renewBefore ${renewBefore} is not shorter than its validity ${validity}: every issuer would be due for renewal the moment it is issued`,
      locations: [ctx.at(['spec', 'linkerd', 'issuer', 'renewBefore']), ctx.at(['spec', 'linkerd', 'issuer', 'validity'])],
      hint: 'renew well inside the validity, e.g. validity 8760h with renewBefore 720h',
    },
  ]
}
