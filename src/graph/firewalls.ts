import type {FederationSpec} from '../spec/types.js'
import {address} from './resource.js'
import {SHARED_NETWORK} from './topology.js'

/**
 * Most source ranges one VPC firewall rule may list (Cloud NGFW limits, "Source IP ranges per
 * VPC firewall rule": 5,000). A network admitting more peers' ranges gets more rules.
 */
export const SOURCE_RANGES_PER_RULE = 5000

/** One ingress rule of a cluster's network, admitting (part of) all its peers' ranges. */
export interface PeerFirewall {
  /** The resource name in plans: the cluster, then `/2`, `/3` … for further parts. */
  readonly name: string
  /** The GCP rule name, unique in the project. */
  readonly ruleName: string
  /** `peers`, `peers-2` …: what the ownership marker records, so the read maps it back. */
  readonly part: string
  readonly ranges: readonly string[]
}

/**
 * A cluster network's ingress rules: every peer's subnet and pod range, sorted, split into rules
 * of at most SOURCE_RANGES_PER_RULE. One rule per network (not one per peer): the rule count grows
 * with clusters, not with their pairs.
 */
export function peerFirewalls(spec: FederationSpec, cluster: string, peers: Iterable<string>, limit = SOURCE_RANGES_PER_RULE): PeerFirewall[] {
  const ranges = [...new Set([...peers].flatMap((p) => [spec.spec.clusters[p]!.network.subnet, spec.spec.clusters[p]!.network.pods]))].sort()
  const out: PeerFirewall[] = []
  for (let i = 0; i * limit < ranges.length; i++) {
    const suffix = i === 0 ? '' : `-${i + 1}`
    out.push({name: i === 0 ? cluster : `${cluster}/${i + 1}`, ruleName: firewallRuleName(spec, cluster, i), part: `peers${suffix}`, ranges: ranges.slice(i * limit, (i + 1) * limit)})
  }
  return out
}

/** `<federation>-<cluster>-from-peers`, or `<federation>-from-clusters` for a shared VPC's rule. */
export function firewallRuleName(spec: FederationSpec, owner: string, index = 0): string {
  const base = owner === SHARED_NETWORK ? `${spec.metadata.name}-from-clusters` : `${spec.metadata.name}-${owner}-from-peers`
  return `${base}${index === 0 ? '' : `-${index + 1}`}`
}

/** The plan name of a rule from its marker's part (`peers`, `peers-2` …). */
export function firewallNameOfPart(cluster: string, part: string): string {
  const n = /^peers-(\d+)$/.exec(part)?.[1]
  return n ? `${cluster}/${n}` : cluster
}

/** Addresses of a cluster's peer firewall rules, for what needs its peers' traffic let in. */
export function peerFirewallAddresses(spec: FederationSpec, cluster: string, peers: Iterable<string>): string[] {
  return peerFirewalls(spec, cluster, peers).map((f) => address('gcp_firewall', f.name))
}
