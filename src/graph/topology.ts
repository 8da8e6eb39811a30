import type {ClusterSpec, FederationSpec, LinkMode, ServiceSpec} from '../spec/types.js'
import type {SpecPath} from '../spec/source-map.js'

/** One direct VPC peering between two clusters' networks, as the spec asked for it. */
export interface PeeringPair {
  readonly a: string
  readonly b: string
  /** Where it was declared: the pair, or `spec.peering` for full-mesh. */
  readonly path: SpecPath
}

/** Why a Link exists: a full-mesh expansion, an explicit entry, or a gateway-mode service. */
export type LinkOrigin = 'full-mesh' | 'explicit' | 'gateway-service'

/** A Link as the consuming cluster holds it: named `<to>` (flat) or `<to>-gw` (gateway). */
export interface DerivedLink {
  readonly from: string
  readonly to: string
  readonly mode: LinkMode
  readonly name: string
  readonly origin: LinkOrigin
  readonly path: SpecPath
}

export function linkName(to: string, mode: LinkMode): string {
  return mode === 'gateway' ? `${to}-gw` : to
}

/** What owns the shared VPC in plans (its address is `gcp_network.shared-network`): no one cluster does. */
export const SHARED_NETWORK = 'shared-network'

/** One VPC for the whole federation: no peering, every cluster reaches every other directly. */
export function isSharedNetwork(spec: FederationSpec): boolean {
  return spec.spec.gcp.network === 'shared'
}

/** The VPC a cluster's subnet lives in: its own, or the federation's shared one (named after the federation). */
export function networkName(spec: FederationSpec, cluster: string): string {
  if (isSharedNetwork(spec)) return spec.metadata.name
  return spec.spec.clusters[cluster]?.network.name ?? `${spec.metadata.name}-${cluster}`
}

/** Who a network belongs to in plans: the cluster, or SHARED_NETWORK. */
export function networkOwner(spec: FederationSpec, cluster: string): string {
  return isSharedNetwork(spec) ? SHARED_NETWORK : cluster
}

/** The project that holds the VPCs, subnets and firewall rules (a Shared VPC host, or the clusters' own). */
export function networkProject(spec: FederationSpec): string {
  return (isSharedNetwork(spec) && spec.spec.gcp.networkProject) || spec.spec.gcp.project
}

/** The `project` attribute of network objects: set only when a Shared VPC host project holds them. */
export function hostProjectAttribute(spec: FederationSpec): {project?: string} {
  const host = networkProject(spec)
  return host !== spec.spec.gcp.project ? {project: host} : {}
}

export function clusterNames(spec: FederationSpec): string[] {
  return Object.keys(spec.spec.clusters)
}

/** Peering pairs in declaration order; full-mesh expands in cluster order. Unknown names are kept for validation to report. */
export function peeringPairs(spec: FederationSpec): PeeringPair[] {
  // A shared VPC needs no peering; validation reports pairs listed anyway.
  if (isSharedNetwork(spec)) return []
  const peering = spec.spec.peering
  if (peering === 'full-mesh') {
    const names = clusterNames(spec)
    const pairs: PeeringPair[] = []
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) pairs.push({a: names[i]!, b: names[j]!, path: ['spec', 'peering']})
    }
    return pairs
  }
  return peering.map(([a, b], i) => ({a, b, path: ['spec', 'peering', i]}))
}

/** Unordered key of a peering pair, so `[a, b]` and `[b, a]` are the same peering. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`
}

/**
 * The pairs of declared clusters whose pods reach each other directly (self-pairs and unknown
 * names excluded): the peered pairs, or every pair in a shared VPC.
 */
// Per spec: the desired graph, validation and every kind ask, and a shared VPC of 300 clusters is 44,850 pairs.
export const peeredSet: (spec: FederationSpec) => ReadonlySet<string> = perSpec(computePeeredSet)

function computePeeredSet(spec: FederationSpec): Set<string> {
  const clusters = spec.spec.clusters
  if (isSharedNetwork(spec)) {
    const names = clusterNames(spec)
    const all = new Set<string>()
    for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) all.add(pairKey(names[i]!, names[j]!))
    return all
  }
  return new Set(
    peeringPairs(spec)
      .filter((p) => p.a !== p.b && clusters[p.a] && clusters[p.b])
      .map((p) => pairKey(p.a, p.b)),
  )
}

/**
 * Whether two declared clusters' pods reach each other directly: any two in a shared VPC, else a
 * peered pair. Asked per link and per service, it never builds a shared VPC's every pair.
 */
export const podsReach: (spec: FederationSpec) => (a: string, b: string) => boolean = perSpec((spec) => {
  if (isSharedNetwork(spec)) {
    const clusters = spec.spec.clusters
    return (a, b) => a !== b && clusters[a] !== undefined && clusters[b] !== undefined
  }
  const peered = peeredSet(spec)
  return (a, b) => peered.has(pairKey(a, b))
})

/** Each declared cluster's direct peers. */
export function peersOf(spec: FederationSpec): Map<string, Set<string>> {
  const peers = new Map<string, Set<string>>(clusterNames(spec).map((c) => [c, new Set<string>()]))
  for (const key of peeredSet(spec)) {
    const [a, b] = key.split('\u0000') as [string, string]
    peers.get(a)!.add(b)
    peers.get(b)!.add(a)
  }
  return peers
}

/**
 * Every Link the spec implies, including those derived from gateway-mode services: each cluster
 * that does not run a gateway-mode service consumes it from each exporter through `<exporter>-gw`.
 * Identical links from several origins are merged (first origin wins); validation reports conflicts.
 */
// Once per spec: the desired graph asks per cluster (its controllers, its gateway), and at hundreds
// of clusters with thousands of links re-deriving them each time was most of an offline plan.
export const derivedLinks: (spec: FederationSpec) => readonly DerivedLink[] = perSpec(deriveLinks)

function deriveLinks(spec: FederationSpec): DerivedLink[] {
  const out: DerivedLink[] = []
  const seen = new Set<string>()
  const add = (l: DerivedLink) => {
    const key = `${l.from}\u0000${l.to}\u0000${l.mode}`
    if (seen.has(key)) return
    seen.add(key)
    out.push(l)
  }
  const names = clusterNames(spec)
  const links = spec.spec.links
  if (links === 'full-mesh') {
    for (const from of names) {
      for (const to of names) {
        if (from !== to) add({from, to, mode: 'flat', name: to, origin: 'full-mesh', path: ['spec', 'links']})
      }
    }
  } else {
    links.forEach((l, i) =>
      add({from: l.from, to: l.to, mode: l.mode, name: linkName(l.to, l.mode), origin: 'explicit', path: ['spec', 'links', i]}),
    )
  }
  for (const [svc, s] of Object.entries(spec.spec.services)) {
    if (s.mode !== 'gateway') continue
    for (const exporter of s.clusters) {
      if (!spec.spec.clusters[exporter]) continue
      for (const consumer of names) {
        if (s.clusters.includes(consumer)) continue
        add({
          from: consumer,
          to: exporter,
          mode: 'gateway',
          name: linkName(exporter, 'gateway'),
          origin: 'gateway-service',
          path: ['spec', 'services', svc, 'mode'],
        })
      }
    }
  }
  return out
}

/** Links whose both ends are declared, distinct clusters: the ones mcfed will actually create. */
export const validLinks: (spec: FederationSpec) => readonly DerivedLink[] = perSpec((spec) => {
  const clusters = spec.spec.clusters
  return derivedLinks(spec).filter((l) => l.from !== l.to && clusters[l.from] && clusters[l.to])
})

/** The valid links each cluster consumes, sorted by name: asked once per cluster, so one pass over all links, not one per cluster. */
export const linksFrom: (spec: FederationSpec) => ReadonlyMap<string, readonly DerivedLink[]> = perSpec((spec) => {
  const out = new Map<string, DerivedLink[]>()
  for (const l of validLinks(spec)) out.set(l.from, [...(out.get(l.from) ?? []), l])
  for (const links of out.values()) links.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return out
})

/**
 * `derive`, computed once per spec object: specs are parsed once and never changed, and the
 * desired graph, validation and the kinds ask the same questions of one spec many times.
 */
function perSpec<T>(derive: (spec: FederationSpec) => T): (spec: FederationSpec) => T {
  const cache = new WeakMap<FederationSpec, T>()
  return (spec) => {
    if (!cache.has(spec)) cache.set(spec, derive(spec))
    return cache.get(spec)!
  }
}

/** Clusters that export at least one gateway-mode service and so need a multicluster gateway. */
export function gatewayClusters(spec: FederationSpec): Set<string> {
  const out = new Set<string>()
  for (const s of Object.values(spec.spec.services)) {
    if (s.mode === 'gateway') for (const c of s.clusters) out.add(c)
  }
  return out
}

/** The Service label that selects a service's mode (Linkerd's default Link selectors). */
export function modeLabel(mode: ServiceSpec['mode']): {key: string; value: string} {
  switch (mode) {
    case 'federated':
      return {key: 'mirror.linkerd.io/federated', value: 'member'}
    case 'flat':
      return {key: 'mirror.linkerd.io/exported', value: 'remote-discovery'}
    case 'gateway':
      return {key: 'mirror.linkerd.io/exported', value: 'true'}
  }
}

/** Nodes a cluster's pool really has: one zone pinned means nodeCount, a regional pool runs in three zones. */
export function totalNodes(c: ClusterSpec): number {
  return c.zone ? c.nodeCount : c.nodeCount * REGIONAL_ZONES
}

/** GKE spreads a regional pool over three zones unless node locations are given. */
export const REGIONAL_ZONES = 3

/** A cluster's identity trust domain: its own, else the federation's. */
export function trustDomainOf(spec: FederationSpec, cluster: string): string {
  return spec.spec.clusters[cluster]?.trustDomain ?? spec.spec.linkerd.trustDomain
}
