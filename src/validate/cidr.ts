import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {clusterNames, isSharedNetwork, peersOf} from '../graph/topology.js'
import {overlaps, parseCidr, type Cidr} from '../util/cidr.js'
import type {RuleContext} from './context.js'

const RANGE_KINDS = ['subnet', 'pods', 'services'] as const
type RangeKind = (typeof RANGE_KINDS)[number]

interface NamedRange {
  readonly cluster: string
  readonly kind: RangeKind
  readonly cidr: Cidr
}

/** Parses every range; reports invalid and non-canonical ones. Returns the ranges that parsed. */
export function clusterRanges(ctx: RuleContext): {ranges: NamedRange[]; diagnostics: Diagnostic[]} {
  const ranges: NamedRange[] = []
  const diagnostics: Diagnostic[] = []
  for (const cluster of clusterNames(ctx.spec)) {
    const network = ctx.spec.spec.clusters[cluster]!.network
    for (const kind of RANGE_KINDS) {
      const path = ['spec', 'clusters', cluster, 'network', kind]
      const parsed = parseCidr(network[kind])
      if (!parsed.ok) {
        diagnostics.push({
          severity: 'error',
          rule: 'cidr/invalid',
          message: `${kind} range ${JSON.stringify(network[kind])} of cluster ${cluster} is not a valid IPv4 prefix: ${parsed.reason}`,
          locations: [ctx.at(path)],
          hint: 'write an IPv4 prefix such as 10.10.0.0/20, without leading zeros, with a prefix length of 0 to 32',
        })
        continue
      }
      if (!parsed.canonical) {
        diagnostics.push({
          severity: 'error',
          rule: 'cidr/not-canonical',
          message: `${kind} range ${network[kind]} of cluster ${cluster} has host bits set`,
          locations: [ctx.at(path)],
          hint: `did you mean ${parsed.cidr.canonical}?`,
        })
        continue
      }
      ranges.push({cluster, kind, cidr: parsed.cidr})
    }
  }
  return {ranges, diagnostics}
}

/**
 * Ranges must be disjoint inside a cluster, between peered clusters, and between clusters that
 * share a peer: GCP imports every peer's subnet routes, so one network's peers must not collide.
 * In a shared VPC every cluster's ranges are routes of one network: all of them must be disjoint.
 */
export function cidrRules(ctx: RuleContext): Diagnostic[] {
  const {ranges, diagnostics} = clusterRanges(ctx)
  const shared = isSharedNetwork(ctx.spec)
  const peers = shared ? new Map<string, Set<string>>() : peersOf(ctx.spec)
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const a = ranges[i]!
      const b = ranges[j]!
      if (!overlaps(a.cidr, b.cidr)) continue
      const why = shared && a.cluster !== b.cluster ? `; ${a.cluster} and ${b.cluster} share one VPC` : overlapReason(a.cluster, b.cluster, peers)
      if (!why) continue
      diagnostics.push({
        severity: 'error',
        rule: 'cidr/overlap',
        message: `${a.kind} range ${a.cidr.text} of ${a.cluster} overlaps ${b.kind} range ${b.cidr.text} of ${b.cluster}${why}`,
        locations: [
          ctx.at(['spec', 'clusters', a.cluster, 'network', a.kind]),
          ctx.at(['spec', 'clusters', b.cluster, 'network', b.kind]),
        ],
        hint:
          a.cluster === b.cluster
            ? 'give the subnet, pod and service ranges of one cluster disjoint prefixes'
            : 'pick disjoint prefixes; peered VPCs exchange subnet routes and GCP rejects the peering (or drops routes) on overlap',
      })
    }
  }
  return diagnostics
}

function overlapReason(a: string, b: string, peers: Map<string, Set<string>>): string | undefined {
  if (a === b) return ' in the same cluster'
  const pa = peers.get(a) ?? new Set<string>()
  if (pa.has(b)) return `; ${a} and ${b} are peered`
  const common = [...pa].filter((c) => peers.get(b)?.has(c))
  if (common.length > 0) return `; both are peered with ${common.join(', ')}, which imports routes from each`
  return undefined
}
