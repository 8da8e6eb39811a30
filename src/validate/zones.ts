import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {REGIONAL_ZONES} from '../graph/topology.js'
import type {RuleContext} from './context.js'

/** A zone belongs to its region; a cluster without one becomes regional and triples its nodes. */
export function zoneRules(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = []
  for (const [name, c] of Object.entries(ctx.spec.spec.clusters)) {
    if (c.zone === undefined) {
      out.push({
        severity: 'warning',
        rule: 'zones/regional-pool',
        message:
          `cluster ${name} pins no zone: GKE makes it regional with its node pool in ${REGIONAL_ZONES} zones of ${c.region}, ` +
          `so nodeCount ${c.nodeCount} means ${c.nodeCount} × ${REGIONAL_ZONES} = ${c.nodeCount * REGIONAL_ZONES} nodes`,
        locations: [ctx.at(['spec', 'clusters', name], 'key')],
        hint: `pin it with zone: ${c.region}-a (nodeCount is then the total)`,
      })
    } else if (!c.zone.startsWith(`${c.region}-`)) {
      out.push({
        severity: 'error',
        rule: 'zones/mismatch',
        message: `zone ${c.zone} of cluster ${name} is not in region ${c.region}`,
        locations: [ctx.at(['spec', 'clusters', name, 'zone']), ctx.at(['spec', 'clusters', name, 'region'])],
        hint: `use a zone of ${c.region} such as ${c.region}-b, or change the region to ${c.zone.replace(/-[a-z]$/, '')}`,
      })
    }
  }
  return out
}
