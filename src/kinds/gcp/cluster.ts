import {LABEL_FEDERATION} from '../../graph/ownership.js'
import {address, type Json, type ObservedResource} from '../../graph/resource.js'
import {classify} from '../../providers/gcp/errors.js'
import {changed, str, type MutationContext} from '../../providers/gcp/mutation.js'
import {awaitContainerOperation} from '../../providers/gcp/operations.js'
import {withRetry} from '../../providers/gcp/retry.js'
import {gcpKind, type GcpKind} from './gcp-kind.js'

export const gkeCluster: GcpKind<'gke_cluster'> = gcpKind('gke_cluster', {
  lists: ['clusters'],

  observe({clusters}, {spec, federation}) {
    const resources: ObservedResource[] = []
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
    return {resources, diagnostics: []}
  },

  async mutate(ctx, m, c) {
    const {clients, project} = ctx
    const a = (m === 'delete' ? c.before : c.after) ?? {}
    const location = str(a.location)
    const name = `projects/${project}/locations/${location}/clusters/${str(a.name)}`
    const run = async (call: () => Promise<unknown>) => {
      const [op] = (await withRetry(() => call() as Promise<unknown[]>, ctx.retry)) as [{name?: string; status?: string}]
      await awaitContainerOperation(clients, project, location, c.address, op, ctx.clusterWait)
    }
    if (m === 'create') {
      const zones = (a.node_locations ?? []) as string[]
      return createOrAdopt(ctx, c.address, location, str(a.name), (a.resource_labels ?? {}) as Record<string, string>, () =>
        run(() =>
          clients.clusters.createCluster({
            parent: `projects/${project}/locations/${location}`,
            cluster: {
              name: str(a.name),
              network: str(a.network),
              subnetwork: str(a.subnetwork),
              ...(zones.length ? {locations: zones} : {}),
              ipAllocationPolicy: {useIpAliases: true, clusterSecondaryRangeName: str(a.pods_range_name), servicesSecondaryRangeName: str(a.services_range_name)},
              defaultMaxPodsConstraint: {maxPodsPerNode: Number(a.max_pods_per_node)},
              nodePools: [
                {
                  name: str(a.node_pool_name),
                  initialNodeCount: Number(a.node_count),
                  config: {machineType: str(a.machine_type)},
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
    const pool = `${name}/nodePools/${str(a.node_pool_name)}`
    if (changed(c, 'node_locations')) await run(() => clients.clusters.updateCluster({name, update: {desiredLocations: (a.node_locations ?? []) as string[]}}))
    if (changed(c, 'node_count')) await run(() => clients.clusters.setNodePoolSize({name: pool, nodeCount: Number(a.node_count)}))
    if (changed(c, 'machine_type')) await run(() => clients.clusters.updateNodePool({name: pool, machineType: str(a.machine_type), nodeVersion: '-', imageType: 'COS_CONTAINERD'}))
    if (changed(c, 'resource_labels')) {
      await withRetry(async () => {
        const [current] = await clients.clusters.getCluster({name})
        await run(() => clients.clusters.setLabels({name, resourceLabels: (a.resource_labels ?? {}) as Record<string, string>, labelFingerprint: current.labelFingerprint ?? ''}))
      }, ctx.retry)
    }
  },
})

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
