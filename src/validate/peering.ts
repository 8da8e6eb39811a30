import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {clusterNames, isSharedNetwork, pairKey, peeringPairs, peersOf, networkName} from '../graph/topology.js'
import type {RuleContext} from './context.js'

/** Peering pairs name declared, distinct clusters, once each, within GCP's per-network limit. */
export function peeringRules(ctx: RuleContext): Diagnostic[] {
  if (isSharedNetwork(ctx.spec)) return sharedNetworkPeering(ctx)
  const out: Diagnostic[] = [...hostProjectNeedsShared(ctx)]
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
        'Two ways out: `spec.gcp.network: shared` puts every cluster in one VPC with no peering at all (flat pod-to-pod between all clusters); ' +
        `or islands: list peering pairs within groups of at most ${limit} clusters and join the groups with gateway links (links: {from, to, mode: gateway}). ` +
        'If your project quota was raised, set spec.gcp.peeringLimit to it',
    })
  }
  return out
}

/** A shared VPC needs no peering: pairs listed anyway are a misunderstanding worth stopping on. */
function sharedNetworkPeering(ctx: RuleContext): Diagnostic[] {
  const named = Object.entries(ctx.spec.spec.clusters).filter(([, c]) => c.network.name !== undefined)
  const out: Diagnostic[] = named.map(([cluster]) => ({
    severity: 'error' as const,
    rule: 'network/shared-name',
    message: `cluster ${cluster} names its own network, but spec.gcp.network is shared: every cluster's subnet is in the federation's one VPC`,
    locations: [ctx.at(['spec', 'clusters', cluster, 'network', 'name'], 'key')],
    hint: 'remove network.name (the shared VPC is named after metadata.name), or set spec.gcp.network: per-cluster',
  }))
  const peering = ctx.spec.spec.peering
  if (peering !== 'full-mesh' && peering.length === 0) return out
  return [
    ...out,
    {
      severity: 'error',
      rule: 'peering/shared-network',
      message: 'spec.peering is set, but spec.gcp.network is shared: every cluster is in one VPC and there is nothing to peer',
      locations: [ctx.at(['spec', 'peering'])],
      hint: 'remove spec.peering (clusters in a shared VPC reach each other directly), or set spec.gcp.network: per-cluster',
    },
  ]
}

/** A Shared VPC host project holds the shared VPC: without `network: shared` there is none. */
function hostProjectNeedsShared(ctx: RuleContext): Diagnostic[] {
  if (ctx.spec.spec.gcp.networkProject === undefined) return []
  return [
    {
      severity: 'error',
      rule: 'network/host-project',
      message: 'spec.gcp.networkProject names a Shared VPC host project, but spec.gcp.network is not shared',
      locations: [ctx.at(['spec', 'gcp', 'networkProject'], 'key')],
      hint: 'set spec.gcp.network: shared to put every cluster in one VPC in that project, or remove networkProject',
    },
  ]
}
