import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {clusterNames, pairKey, peeringPairs, peersOf, networkName} from '../graph/topology.js'
import type {RuleContext} from './context.js'

/** Peering pairs name declared, distinct clusters, once each, within GCP's per-network limit. */
export function peeringRules(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = []
  const clusters = ctx.spec.spec.clusters
  const firstSeen = new Map<string, (string | number)[]>()
  for (const p of peeringPairs(ctx.spec)) {
    const unknown = [p.a, p.b].filter((c) => !clusters[c])
    for (const [i, name] of [p.a, p.b].entries()) {
      if (clusters[name]) continue
      out.push({
        severity: 'error',
        rule: 'peering/unknown-cluster',
        message: `peering names cluster \`${name}\`, which is not declared`,
        locations: [ctx.at([...p.path, i])],
        hint: `declared clusters: ${clusterNames(ctx.spec).join(', ')}`,
      })
    }
    if (unknown.length > 0) continue
    if (p.a === p.b) {
      out.push({
        severity: 'error',
        rule: 'peering/self',
        message: `cluster ${p.a} is peered with itself`,
        locations: [ctx.at([...p.path])],
        hint: 'a peering joins two different networks; remove this pair',
      })
      continue
    }
    const key = pairKey(p.a, p.b)
    const earlier = firstSeen.get(key)
    if (earlier) {
      out.push({
        severity: 'error',
        rule: 'peering/duplicate',
        message: `${p.a} and ${p.b} are peered twice`,
        locations: [ctx.at([...p.path]), ctx.at(earlier)],
        hint: 'a pair creates both halves of the peering; list it once, in either order',
      })
    } else {
      firstSeen.set(key, [...p.path])
    }
  }
  const limit = ctx.spec.spec.gcp.peeringLimit
  for (const [cluster, peers] of peersOf(ctx.spec)) {
    if (peers.size <= limit) continue
    out.push({
      severity: 'error',
      rule: 'peering/limit',
      message: `network ${networkName(ctx.spec, cluster)} of ${cluster} would have ${peers.size} peerings; GCP allows ${limit} per network`,
      locations: [ctx.at(['spec', 'peering']), ctx.at(['spec', 'clusters', cluster], 'key')],
      hint:
        'GCP refuses peerings beyond the per-network limit (VPC peering is not transitive, so a full mesh of N networks needs N-1 each). ' +
        'Either list fewer pairs and reach distant clusters through gateway links, put the clusters in one shared VPC, ' +
        'or, if your project quota was raised, set spec.gcp.peeringLimit to it',
    })
  }
  return out
}
