import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {clusterNames, podsReach} from '../graph/topology.js'
import type {RuleContext} from './context.js'

/**
 * Services run in declared clusters; flat and federated services reach pods directly, so every
 * pair of their clusters must be peered (VPC peering is not transitive).
 */
export function serviceRules(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = []
  const clusters = ctx.spec.spec.clusters
  const reach = podsReach(ctx.spec)
  for (const [name, s] of Object.entries(ctx.spec.spec.services)) {
    s.clusters.forEach((c, i) => {
      if (clusters[c]) return
      out.push({
        severity: 'error',
        rule: 'services/unknown-cluster',
        message: `service ${name} runs in \`${c}\`, which is not a declared cluster`,
        locations: [ctx.at(['spec', 'services', name, 'clusters', i])],
        hint: `declared clusters: ${clusterNames(ctx.spec).join(', ')}`,
      })
    })
    if (s.mode === 'gateway') continue
    const known = s.clusters.filter((c) => clusters[c])
    for (let i = 0; i < known.length; i++) {
      for (let j = i + 1; j < known.length; j++) {
        const a = known[i]!
        const b = known[j]!
        if (reach(a, b)) continue
        out.push({
          severity: 'error',
          rule: 'services/not-peered',
          message: `${s.mode} service ${name} spans ${a} and ${b}, which are not peered; ${s.mode} mode needs pod-to-pod reachability`,
          locations: [ctx.at(['spec', 'services', name, 'clusters']), ctx.at(['spec', 'services', name, 'mode'])],
          hint: `add [${a}, ${b}] to spec.peering, or use mode: gateway for ${name}`,
        })
      }
    }
  }
  return out
}
