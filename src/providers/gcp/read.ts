import type {Diagnostic} from '../../diagnostics/diagnostic.js'
import {networkName, subnetworkName} from '../../graph/names.js'
import {LABEL_FEDERATION, lastSegment, parseMarker} from '../../graph/ownership.js'
import {address, type Json, type ObservedResource} from '../../graph/resource.js'
import {clusterNames} from '../../graph/topology.js'
import type {FederationSpec} from '../../spec/types.js'
import {overlaps, parseCidr} from '../../util/cidr.js'
import {sha256, stableStringify} from '../../util/stable-json.js'
import type {protos} from '@google-cloud/container'

import type {GcpClients} from './client.js'
import {toProviderError} from './errors.js'
import {withRetry, type RetryPolicy} from './retry.js'

export interface GcpReadResult {
  readonly resources: ObservedResource[]
  readonly diagnostics: Diagnostic[]
  /** Digest of everything read, so a saved plan can tell whether the estate moved. */
  readonly fingerprint: string
}

/**
 * Reads the project with four list calls in parallel (networks embed their peerings; subnets come
 * from one aggregated list; firewalls are global; clusters list over location `-`), so a no-op
 * plan costs the same number of calls whatever the federation's size.
 */
export type GkeCluster = protos.google.container.v1.ICluster

export async function readGcp(clients: GcpClients, spec: FederationSpec, retry: RetryPolicy, clusterList: Promise<GkeCluster[]>): Promise<GcpReadResult> {
  const project = spec.spec.gcp.project
  const call = <T>(what: string, fn: () => Promise<T>) => withRetry(fn, retry).catch((e: unknown) => Promise.reject(toProviderError(`project ${project}`, `listing ${what} in`, e)))
  const [networks, subnets, firewalls, clusters] = await Promise.all([
    call('networks', async () => (await clients.networks.list({project}, {autoPaginate: true}))[0]),
    call('subnetworks', async () => {
      const out = []
      for await (const [, scoped] of clients.subnetworks.aggregatedListAsync({project}, {autoPaginate: false})) out.push(...(scoped.subnetworks ?? []))
      return out
    }),
    call('firewalls', async () => (await clients.firewalls.list({project}, {autoPaginate: true}))[0]),
    clusterList.catch((e: unknown) => Promise.reject(toProviderError(`project ${project}`, 'listing clusters in', e))),
  ])

  const federation = spec.metadata.name
  const resources: ObservedResource[] = []
  const diagnostics: Diagnostic[] = []
  // Names the spec wants, so an unowned object in the way is reported instead of silently ignored.
  const wantedNetworks = new Map(clusterNames(spec).map((c) => [networkName(spec, c), c]))
  const wantedSubnets = new Map(clusterNames(spec).map((c) => [`${spec.spec.clusters[c]!.region}/${subnetworkName(spec, c)}`, c]))
  const clusterOfNetwork = new Map<string, string>()

  for (const n of networks) {
    const marker = parseMarker(n.description)
    const ours = marker?.federation === federation
    const cluster = ours ? marker.cluster : wantedNetworks.get(n.name ?? '')
    if (!cluster) continue
    if (ours) clusterOfNetwork.set(n.name!, cluster)
    resources.push({
      address: address('gcp_network', cluster),
      kind: 'gcp_network',
      name: cluster,
      cluster,
      owned: ours,
      attributes: {
        name: n.name ?? '',
        auto_create_subnetworks: Boolean(n.autoCreateSubnetworks),
        routing_mode: n.routingConfig?.routingMode ?? 'REGIONAL',
        mtu: Number(n.mtu ?? 1460),
        description: n.description ?? '',
        self_link: n.selfLink ?? null,
      },
    })
  }
  for (const n of networks) {
    const cluster = clusterOfNetwork.get(n.name ?? '')
    if (!cluster) continue
    for (const p of n.peerings ?? []) {
      const peer = clusterOfNetwork.get(lastSegment(p.network))
      if (!peer) continue
      const addr = address('gcp_peering', `${cluster}-${peer}`)
      resources.push({
        address: addr,
        kind: 'gcp_peering',
        name: `${cluster}-${peer}`,
        cluster,
        owned: true,
        dependsOn: [address('gcp_network', cluster), address('gcp_network', peer)],
        attributes: {
          name: p.name ?? '',
          network: n.name ?? '',
          peer_network: lastSegment(p.network),
          exchange_subnet_routes: Boolean(p.exchangeSubnetRoutes ?? true),
          export_custom_routes: Boolean(p.exportCustomRoutes),
          import_custom_routes: Boolean(p.importCustomRoutes),
          state: p.state ?? 'INACTIVE',
        },
      })
      const back = networks.find((m) => m.name === lastSegment(p.network))?.peerings?.some((q) => lastSegment(q.network) === n.name)
      if (back && p.state !== 'ACTIVE') {
        diagnostics.push({
          severity: 'warning',
          rule: 'peering/inactive',
          message: `peering ${p.name} on ${n.name} is ${p.state} although both halves exist`,
          locations: [],
          addresses: [addr],
          hint: 'GCP may still be connecting it; if it stays INACTIVE, check the peer network and overlapping ranges',
        })
      }
    }
  }
  for (const s of subnets) {
    const marker = parseMarker(s.description)
    const region = lastSegment(s.region)
    const ours = marker?.federation === federation
    const cluster = ours ? marker.cluster : wantedSubnets.get(`${region}/${s.name}`)
    if (!cluster) {
      diagnostics.push(...foreignOverlaps(spec, clusterOfNetwork, s))
      continue
    }
    resources.push({
      address: address('gcp_subnetwork', cluster),
      kind: 'gcp_subnetwork',
      name: cluster,
      cluster,
      owned: ours,
      dependsOn: [address('gcp_network', cluster)],
      attributes: {
        name: s.name ?? '',
        network: lastSegment(s.network),
        region,
        ip_cidr_range: s.ipCidrRange ?? '',
        secondary_ip_ranges: Object.fromEntries((s.secondaryIpRanges ?? []).map((r) => [r.rangeName ?? '', r.ipCidrRange ?? ''])),
        private_ip_google_access: Boolean(s.privateIpGoogleAccess),
        description: s.description ?? '',
        fingerprint: s.fingerprint ?? null,
      },
    })
  }
  for (const f of firewalls) {
    const marker = parseMarker(f.description)
    if (marker?.federation !== federation || !marker.peer) continue
    const name = `${marker.cluster}-from-${marker.peer}`
    resources.push({
      address: address('gcp_firewall', name),
      kind: 'gcp_firewall',
      name,
      cluster: marker.cluster,
      owned: true,
      dependsOn: [address('gcp_network', marker.cluster)],
      attributes: {
        name: f.name ?? '',
        network: lastSegment(f.network),
        direction: f.direction ?? 'INGRESS',
        priority: Number(f.priority ?? 1000),
        source_ranges: [...(f.sourceRanges ?? [])].sort(),
        allowed: (f.allowed ?? []).map((a) => a.IPProtocol ?? '').sort(),
        description: f.description ?? '',
      },
    })
  }
  for (const c of clusters) {
    const ours = c.resourceLabels?.[LABEL_FEDERATION] === federation
    if (!ours && !spec.spec.clusters[c.name ?? '']) continue
    const pool = c.nodePools?.[0]
    const zones = Math.max(1, c.locations?.length ?? 1)
    resources.push({
      address: address('gke_cluster', c.name!),
      kind: 'gke_cluster',
      name: c.name!,
      cluster: c.name!,
      owned: ours,
      dependsOn: [address('gcp_subnetwork', c.name!)],
      attributes: {
        name: c.name ?? '',
        location: c.location ?? '',
        node_locations: /-[a-z]$/.test(c.location ?? '') ? [...(c.locations ?? [])] : (c.locations ?? []).length === 3 ? [] : [...(c.locations ?? [])],
        network: c.network ?? '',
        subnetwork: c.subnetwork ?? '',
        pods_range_name: c.ipAllocationPolicy?.clusterSecondaryRangeName ?? '',
        services_range_name: c.ipAllocationPolicy?.servicesSecondaryRangeName ?? '',
        cluster_ipv4_cidr: c.ipAllocationPolicy?.clusterIpv4CidrBlock ?? '',
        services_ipv4_cidr: c.ipAllocationPolicy?.servicesIpv4CidrBlock ?? '',
        node_pool_name: pool?.name ?? '',
        machine_type: pool?.config?.machineType ?? '',
        node_count: Math.round(Number(c.currentNodeCount ?? 0) / zones),
        max_pods_per_node: Number(pool?.maxPodsConstraint?.maxPodsPerNode ?? c.defaultMaxPodsConstraint?.maxPodsPerNode ?? 110),
        resource_labels: {...(c.resourceLabels ?? {})} as Json,
        endpoint: c.endpoint ?? null,
        ca_certificate: c.masterAuth?.clusterCaCertificate ?? null,
        status: String(c.status ?? ''),
      },
    })
  }
  resources.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
  return {resources, diagnostics, fingerprint: fingerprintOf(resources)}
}

/** Digest of the attributes that matter; outputs that churn (fingerprints, status) are left out. */
export function fingerprintOf(resources: readonly ObservedResource[]): string {
  const stable = resources.map((r) => {
    const {fingerprint: _f, status: _s, ...attributes} = r.attributes as Record<string, Json>
    return {address: r.address, owned: r.owned, attributes}
  })
  return `sha256:${sha256(stableStringify(stable))}`
}

/** A subnet mcfed does not manage, inside one of its networks, whose ranges collide with the spec's. */
function foreignOverlaps(
  spec: FederationSpec,
  clusterOfNetwork: ReadonlyMap<string, string>,
  s: {name?: string | null; network?: string | null; ipCidrRange?: string | null; secondaryIpRanges?: {ipCidrRange?: string | null}[] | null},
): Diagnostic[] {
  const owner = clusterOfNetwork.get(lastSegment(s.network))
  if (!owner) return []
  const theirs = [s.ipCidrRange, ...(s.secondaryIpRanges ?? []).map((r) => r.ipCidrRange)].map((t) => parseCidr(t ?? '')).filter((p) => p.ok)
  const out: Diagnostic[] = []
  for (const [cluster, c] of Object.entries(spec.spec.clusters)) {
    for (const range of [c.network.subnet, c.network.pods, c.network.services]) {
      const mine = parseCidr(range)
      if (!mine.ok) continue
      const hit = theirs.find((t) => t.ok && overlaps(t.cidr, mine.cidr))
      if (!hit || !hit.ok) continue
      out.push({
        severity: 'error',
        rule: 'cidr/live-overlap',
        message: `subnet ${s.name} in network ${lastSegment(s.network)} (not managed by mcfed) uses ${hit.cidr.text}, which overlaps ${range} of ${cluster}`,
        locations: [],
        addresses: [address('gcp_network', owner)],
        hint: 'peered networks exchange every subnet route; move the spec range or the foreign subnet',
      })
    }
  }
  return out
}
