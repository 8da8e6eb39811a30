import {markerFilter, parseMarker} from '../../graph/ownership.js'
import {hostProjectAttribute} from '../../graph/topology.js'
import type {FederationSpec} from '../../spec/types.js'
import type {GcpClients} from './client.js'
import {toProviderError} from './errors.js'
import {listFieldMask, type LISTED_FIELDS, type ListedCluster, type ListedFirewall, type ListedNetwork, type ListedSubnetwork} from './listed-fields.js'
import {withRetry, type RetryPolicy} from './retry.js'

/** The project-wide list calls a GCP kind's read may ask for: one per field tree. */
export type GcpList = keyof typeof LISTED_FIELDS

/** One project's objects, each list made once per read whatever the number of kinds reading it. */
export interface GcpListing {
  readonly networks: readonly ListedNetwork[]
  readonly subnetworks: readonly ListedSubnetwork[]
  readonly firewalls: readonly ListedFirewall[]
  readonly clusters: readonly ListedCluster[]
}

/** What every GCP kind's read mapping may consult beside its own list. */
export interface GcpObserveContext {
  readonly spec: FederationSpec
  readonly federation: string
  /** `{project}` for objects read from a Shared VPC host project (as the desired graph says it), else empty. */
  readonly inHost: {readonly project?: string}
  /** This federation's networks (by their marker), network name → cluster. */
  readonly networkClusters: ReadonlyMap<string, string>
}

/**
 * Makes the list calls the kinds asked for, in parallel (networks embed their peerings; subnets
 * come from one aggregated list; firewalls are global; clusters list over location `-`), so a
 * no-op plan costs the same number of calls whatever the federation's size.
 */
export async function listGcp(
  clients: GcpClients,
  federation: string,
  projects: {readonly clusters: string; readonly network: string},
  retry: RetryPolicy,
  wanted: ReadonlySet<GcpList>,
  clusterList: () => Promise<ListedCluster[]>,
): Promise<GcpListing> {
  // Networks, subnets and firewall rules live in the network project (a Shared VPC host), clusters in their own.
  const project = projects.network
  const call = <T>(list: GcpList, fn: () => Promise<T[]>): Promise<T[]> =>
    wanted.has(list) ? withRetry(fn, retry).catch((e: unknown) => Promise.reject(toProviderError(`project ${project}`, `listing ${list} in`, e))) : Promise.resolve([])
  const [networks, subnetworks, firewalls, clusters] = await Promise.all([
    call('networks', async () => (await clients.lists.networks.list({project}, {autoPaginate: true, ...masked('networks')}))[0]),
    call('subnetworks', async () => {
      const out: ListedSubnetwork[] = []
      for await (const [, scoped] of clients.lists.subnetworks.aggregatedListAsync({project}, {autoPaginate: false})) out.push(...(scoped.subnetworks ?? []))
      return out
    }),
    // Only the firewall kind reads rules, and only its own: a project's other rules stay on the server.
    call('firewalls', async () => (await clients.lists.firewalls.list({project, filter: markerFilter(federation)}, {autoPaginate: true, ...masked('firewalls')}))[0]),
    wanted.has('clusters') ? clusterList().catch((e: unknown) => Promise.reject(toProviderError(`project ${projects.clusters}`, 'listing clusters in', e))) : Promise.resolve([]),
  ])
  return {networks, subnetworks, firewalls, clusters}
}

/** Call options asking the API for only the fields the read decodes (a fresh object: the clients add their own headers to it). */
export function masked(list: Parameters<typeof listFieldMask>[0]): {otherArgs: {headers: Record<string, string>}} {
  return {otherArgs: {headers: {'X-Goog-FieldMask': listFieldMask(list)}}}
}

export function observeContext(spec: FederationSpec, listing: GcpListing): GcpObserveContext {
  const federation = spec.metadata.name
  const networkClusters = new Map<string, string>()
  for (const n of listing.networks) {
    const marker = parseMarker(n.description)
    if (marker?.federation === federation) networkClusters.set(n.name ?? '', marker.cluster)
  }
  return {spec, federation, networkClusters, inHost: hostProjectAttribute(spec)}
}
