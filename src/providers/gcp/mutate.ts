import {randomUUID} from 'node:crypto'

import {ProviderError} from '../../diagnostics/errors.js'
import type {Json} from '../../graph/resource.js'
import type {ResourceChange} from '../../plan/types.js'
import type {GcpClients} from './client.js'
import {classify, toProviderError} from './errors.js'
import type {KeyedMutex} from './keyed-mutex.js'
import {awaitComputeOperation, awaitContainerOperation, type WaitOptions} from './operations.js'
import {withRetry, type RetryPolicy} from './retry.js'

export interface MutationContext {
  readonly clients: GcpClients
  readonly project: string
  readonly retry: RetryPolicy
  readonly wait: WaitOptions
  readonly clusterWait: WaitOptions
  readonly peeringLocks: KeyedMutex
}

type Attrs = {readonly [key: string]: Json}
export type Mutation = 'create' | 'update' | 'delete'

/** Carries out one step of a plan for one GCP resource, waiting for its operations. */
export async function mutateGcp(ctx: MutationContext, mutation: Mutation, change: ResourceChange): Promise<void> {
  const attrs = (mutation === 'delete' ? change.before : change.after) ?? {}
  try {
    switch (change.kind) {
      case 'gcp_network':
        return await network(ctx, mutation, attrs, change)
      case 'gcp_subnetwork':
        return await subnetwork(ctx, mutation, attrs, change)
      case 'gcp_peering':
        return await peering(ctx, mutation, attrs, change)
      case 'gcp_firewall':
        return await firewall(ctx, mutation, attrs, change)
      case 'gke_cluster':
        return await cluster(ctx, mutation, attrs, change)
      default:
        throw new ProviderError(`${change.address}: not a GCP resource`, {resource: change.address})
    }
  } catch (e) {
    // A delete that finds nothing is done: someone else deleted it, or our own attempt whose answer was lost did.
    if (mutation === 'delete' && classify(e).status === 404) return
    throw toProviderError(change.address, verb(mutation), e)
  }
}

function verb(m: Mutation): string {
  return m === 'create' ? 'creating' : m === 'update' ? 'updating' : 'deleting'
}

/** Compute mutations carry one requestId across retries, so a retried insert never runs twice. */
async function compute(ctx: MutationContext, resource: string, call: (requestId: string) => Promise<unknown>): Promise<void> {
  const requestId = randomUUID()
  const [op] = (await withRetry(() => call(requestId) as Promise<unknown[]>, ctx.retry)) as unknown[]
  await awaitComputeOperation(ctx.clients, ctx.project, resource, op, ctx.wait)
}

const s = (v: Json | undefined) => String(v ?? '')
const changed = (c: ResourceChange, path: string) => c.changes.some((x) => x.path === path)
const netRef = (project: string, name: Json | undefined) => `projects/${project}/global/networks/${s(name)}`

async function network(ctx: MutationContext, m: Mutation, a: Attrs, c: ResourceChange): Promise<void> {
  const {clients, project} = ctx
  const network = s(a.name)
  if (m === 'create') {
    return compute(ctx, c.address, (requestId) =>
      clients.networks.insert({
        project,
        requestId,
        networkResource: {name: network, autoCreateSubnetworks: false, routingConfig: {routingMode: s(a.routing_mode)}, mtu: Number(a.mtu), description: s(a.description)},
      }),
    )
  }
  if (m === 'delete') return compute(ctx, c.address, (requestId) => clients.networks.delete({project, network, requestId}))
  return compute(ctx, c.address, (requestId) =>
    clients.networks.patch({project, network, requestId, networkResource: {routingConfig: {routingMode: s(a.routing_mode)}, mtu: Number(a.mtu)}}),
  )
}

async function subnetwork(ctx: MutationContext, m: Mutation, a: Attrs, c: ResourceChange): Promise<void> {
  const {clients, project} = ctx
  const region = s(a.region)
  const subnetwork = s(a.name)
  if (m === 'create') {
    const ranges = (a.secondary_ip_ranges ?? {}) as Record<string, string>
    return compute(ctx, c.address, (requestId) =>
      clients.subnetworks.insert({
        project,
        region,
        requestId,
        subnetworkResource: {
          name: subnetwork,
          network: netRef(project, a.network),
          ipCidrRange: s(a.ip_cidr_range),
          secondaryIpRanges: Object.entries(ranges).map(([rangeName, ipCidrRange]) => ({rangeName, ipCidrRange})),
          privateIpGoogleAccess: Boolean(a.private_ip_google_access),
          description: s(a.description),
        },
      }),
    )
  }
  if (m === 'delete') return compute(ctx, c.address, (requestId) => clients.subnetworks.delete({project, region, subnetwork, requestId}))
  if (changed(c, 'private_ip_google_access')) {
    await compute(ctx, c.address, (requestId) =>
      clients.subnetworks.setPrivateIpGoogleAccess({
        project,
        region,
        subnetwork,
        requestId,
        subnetworksSetPrivateIpGoogleAccessRequestResource: {privateIpGoogleAccess: Boolean(a.private_ip_google_access)},
      }),
    )
  }
  if (changed(c, 'description')) {
    // PATCH needs the current fingerprint; a stale one is 412, so read it right before.
    await withRetry(async () => {
      const [current] = await clients.subnetworks.get({project, region, subnetwork})
      await compute(ctx, c.address, (requestId) =>
        clients.subnetworks.patch({project, region, subnetwork, requestId, subnetworkResource: {fingerprint: current.fingerprint, description: s(a.description)}}),
      )
    }, ctx.retry)
  }
}

async function peering(ctx: MutationContext, m: Mutation, a: Attrs, c: ResourceChange): Promise<void> {
  const {clients, project} = ctx
  const network = s(a.network)
  const peer = s(a.peer_network)
  await ctx.peeringLocks.withLocks([network, peer], async () => {
    if (m === 'create') {
      await compute(ctx, c.address, (requestId) =>
        clients.networks.addPeering({
          project,
          network,
          requestId,
          networksAddPeeringRequestResource: {
            networkPeering: {
              name: s(a.name),
              network: netRef(project, peer),
              exchangeSubnetRoutes: true,
              exportCustomRoutes: Boolean(a.export_custom_routes),
              importCustomRoutes: Boolean(a.import_custom_routes),
            },
          },
        }),
      )
    } else if (m === 'delete') {
      await compute(ctx, c.address, (requestId) =>
        clients.networks.removePeering({project, network, requestId, networksRemovePeeringRequestResource: {name: s(a.name)}}),
      )
    } else {
      await compute(ctx, c.address, (requestId) =>
        clients.networks.updatePeering({
          project,
          network,
          requestId,
          networksUpdatePeeringRequestResource: {
            networkPeering: {name: s(a.name), exportCustomRoutes: Boolean(a.export_custom_routes), importCustomRoutes: Boolean(a.import_custom_routes)},
          },
        }),
      )
    }
  })
  if (m === 'create') await awaitActiveIfPeered(ctx, c.address, network, peer, s(a.name))
}

/** When the other half exists, the peering must turn ACTIVE: wait for it rather than trust the op. */
async function awaitActiveIfPeered(ctx: MutationContext, resource: string, network: string, peer: string, name: string): Promise<void> {
  const {clients, project} = ctx
  const start = Date.now()
  for (;;) {
    const [[mine], [theirs]] = await Promise.all([
      withRetry(() => clients.networks.get({project, network}), ctx.retry),
      withRetry(() => clients.networks.get({project, network: peer}), ctx.retry).catch(() => [undefined] as const),
    ])
    const back = theirs?.peerings?.some((p) => (p.network ?? '').endsWith(`/networks/${network}`))
    const state = mine.peerings?.find((p) => p.name === name)?.state
    if (!back || state === 'ACTIVE') return
    if (Date.now() - start > ctx.wait.timeoutMs) {
      throw new ProviderError(`peering ${name} on ${network} stayed ${state} after both halves were created`, {resource, reason: 'peeringInactive'})
    }
    await new Promise((r) => setTimeout(r, ctx.wait.pollMs))
  }
}

async function firewall(ctx: MutationContext, m: Mutation, a: Attrs, c: ResourceChange): Promise<void> {
  const {clients, project} = ctx
  const firewall = s(a.name)
  const resource = {
    name: firewall,
    network: netRef(project, a.network),
    direction: s(a.direction),
    priority: Number(a.priority),
    sourceRanges: (a.source_ranges ?? []) as string[],
    allowed: ((a.allowed ?? []) as string[]).map((IPProtocol) => ({IPProtocol})),
    description: s(a.description),
  }
  if (m === 'create') return compute(ctx, c.address, (requestId) => clients.firewalls.insert({project, requestId, firewallResource: resource}))
  if (m === 'delete') return compute(ctx, c.address, (requestId) => clients.firewalls.delete({project, firewall, requestId}))
  // PUT replaces the whole rule, so a list can also shrink (the REST client drops empty lists in PATCH).
  return compute(ctx, c.address, (requestId) => clients.firewalls.update({project, firewall, requestId, firewallResource: resource}))
}

async function cluster(ctx: MutationContext, m: Mutation, a: Attrs, c: ResourceChange): Promise<void> {
  const {clients, project} = ctx
  const location = s(a.location)
  const name = `projects/${project}/locations/${location}/clusters/${s(a.name)}`
  const run = async (call: () => Promise<unknown>) => {
    const [op] = (await withRetry(() => call() as Promise<unknown[]>, ctx.retry)) as [{name?: string; status?: string}]
    await awaitContainerOperation(clients, project, location, c.address, op, ctx.clusterWait)
  }
  if (m === 'create') {
    const zones = (a.node_locations ?? []) as string[]
    return createOrAdopt(ctx, c.address, location, s(a.name), (a.resource_labels ?? {}) as Record<string, string>, () =>
      run(() =>
        clients.clusters.createCluster({
          parent: `projects/${project}/locations/${location}`,
          cluster: {
            name: s(a.name),
            network: s(a.network),
            subnetwork: s(a.subnetwork),
            ...(zones.length ? {locations: zones} : {}),
            ipAllocationPolicy: {useIpAliases: true, clusterSecondaryRangeName: s(a.pods_range_name), servicesSecondaryRangeName: s(a.services_range_name)},
            defaultMaxPodsConstraint: {maxPodsPerNode: Number(a.max_pods_per_node)},
            nodePools: [
              {
                name: s(a.node_pool_name),
                initialNodeCount: Number(a.node_count),
                config: {machineType: s(a.machine_type)},
                maxPodsConstraint: {maxPodsPerNode: Number(a.max_pods_per_node)},
              },
            ],
            resourceLabels: (a.resource_labels ?? {}) as Record<string, string>,
          },
        }),
      ),
    )
  }
  if (m === 'delete') return run(() => clients.clusters.deleteCluster({name}))
  // GKE takes one change per call, each awaited before the next.
  const pool = `${name}/nodePools/${s(a.node_pool_name)}`
  if (changed(c, 'node_locations')) await run(() => clients.clusters.updateCluster({name, update: {desiredLocations: (a.node_locations ?? []) as string[]}}))
  if (changed(c, 'node_count')) await run(() => clients.clusters.setNodePoolSize({name: pool, nodeCount: Number(a.node_count)}))
  if (changed(c, 'machine_type')) await run(() => clients.clusters.updateNodePool({name: pool, machineType: s(a.machine_type), nodeVersion: '-', imageType: 'COS_CONTAINERD'}))
  if (changed(c, 'resource_labels')) {
    await withRetry(async () => {
      const [current] = await clients.clusters.getCluster({name})
      await run(() => clients.clusters.setLabels({name, resourceLabels: (a.resource_labels ?? {}) as Record<string, string>, labelFingerprint: current.labelFingerprint ?? ''}))
    }, ctx.retry)
  }
}

/**
 * GKE's create has no request id: when its answer is lost, the retry meets 409 alreadyExists for
 * the cluster the first attempt started. A cluster carrying this federation's labels is ours:
 * await its creation instead of failing; anything else keeps the 409.
 */
async function createOrAdopt(ctx: MutationContext, resource: string, location: string, clusterName: string, labels: Record<string, string>, create: () => Promise<void>): Promise<void> {
  try {
    return await create()
  } catch (e) {
    if (classify(e).status !== 409) throw e
    const {clients, project} = ctx
    const name = `projects/${project}/locations/${location}/clusters/${clusterName}`
    const [existing] = await withRetry(() => clients.clusters.getCluster({name}), ctx.retry)
    const theirs = existing.resourceLabels ?? {}
    if (Object.entries(labels).some(([k, v]) => theirs[k] !== v)) throw e
    const [{operations}] = await withRetry(() => clients.clusters.listOperations({parent: `projects/${project}/locations/${location}`}), ctx.retry)
    const creating = (operations ?? []).find((o) => o.operationType === 'CREATE_CLUSTER' && o.status !== 'DONE' && (o.targetLink ?? '').endsWith(`/clusters/${clusterName}`))
    if (creating) return awaitContainerOperation(clients, project, location, resource, creating, ctx.clusterWait)
    // No creation in flight: it may have finished between the two reads, so look again.
    const [now] = await withRetry(() => clients.clusters.getCluster({name}), ctx.retry)
    if (now.status !== 'RUNNING') throw e
  }
}
