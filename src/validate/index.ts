import {sortDiagnostics, type Diagnostic} from '../diagnostics/diagnostic.js'
import type {SourceMap} from '../spec/source-map.js'
import type {FederationSpec} from '../spec/types.js'
import {authorizationRules} from './authorization.js'
import {certRules} from './certs.js'
import {cidrRules} from './cidr.js'
import {credentialRules} from './credentials.js'
import {ruleContext, type Rule} from './context.js'
import {gkeSizeRules} from './gke-size.js'
import {linkRules} from './links.js'
import {namingRules} from './naming.js'
import {peeringRules} from './peering.js'
import {serviceRules} from './services.js'
import {zoneRules} from './zones.js'

/** Every semantic rule family, one file each. Each rule reports; none throws or stops the others. */
export const RULES: readonly Rule[] = [cidrRules, peeringRules, linkRules, serviceRules, namingRules, zoneRules, gkeSizeRules, certRules, credentialRules, authorizationRules]

/** Runs all semantic rules over a schema-valid spec. Pure. */
export function validateSpec(spec: FederationSpec, map: SourceMap): Diagnostic[] {
  const ctx = ruleContext(spec, map)
  return sortDiagnostics(RULES.flatMap((rule) => rule(ctx)))
}
