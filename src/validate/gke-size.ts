import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {totalNodes} from '../graph/topology.js'
import {addressCount, parseCidr} from '../util/cidr.js'
import type {RuleContext} from './context.js'

/** GCP keeps four addresses of every subnet for itself. */
const SUBNET_RESERVED = 4n

/**
 * GKE gives each node a pod block of the smallest power of two holding twice its max pods
 * (a /24 for the default 110), so the pod range caps the node count.
 */
export function podBlockSize(maxPodsPerNode: number): bigint {
  let size = 1n
  while (size < BigInt(maxPodsPerNode * 2)) size *= 2n
  return size
}

export function gkeSizeRules(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = []
  for (const [name, c] of Object.entries(ctx.spec.spec.clusters)) {
    const nodes = BigInt(totalNodes(c))
    const pods = parseCidr(c.network.pods)
    if (pods.ok && pods.canonical) {
      const block = podBlockSize(c.maxPodsPerNode)
      const capacity = addressCount(pods.cidr) / block
      if (nodes > capacity) {
        const prefix = 32 - Math.log2(Number(block * nodes))
        out.push({
          severity: 'error',
          rule: 'gke/pod-range-too-small',
          message:
            `pod range ${c.network.pods} of ${name} holds ${capacity} node blocks of ${block} addresses ` +
            `(maxPodsPerNode ${c.maxPodsPerNode}), but the cluster has ${nodes} nodes`,
          locations: [ctx.at(['spec', 'clusters', name, 'network', 'pods']), ctx.at(['spec', 'clusters', name, 'nodeCount'])],
          hint: `use a pod range of /${Math.floor(prefix)} or larger, fewer nodes, or a lower maxPodsPerNode`,
        })
      }
    }
    const subnet = parseCidr(c.network.subnet)
    if (subnet.ok && subnet.canonical && nodes > addressCount(subnet.cidr) - SUBNET_RESERVED) {
      out.push({
        severity: 'error',
        rule: 'gke/subnet-too-small',
        message: `subnet ${c.network.subnet} of ${name} has ${addressCount(subnet.cidr) - SUBNET_RESERVED} usable addresses for ${nodes} nodes`,
        locations: [ctx.at(['spec', 'clusters', name, 'network', 'subnet']), ctx.at(['spec', 'clusters', name, 'nodeCount'])],
        hint: 'widen the subnet or lower nodeCount',
      })
    }
  }
  return out
}
