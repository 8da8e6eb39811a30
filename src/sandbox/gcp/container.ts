import {CONTAINER_BASE, type SimContext} from './context.js'
import {badRequest, failedPrecondition, GoogleApiError, notFound} from './errors.js'
import {route, type Route} from './router.js'
import type {ClusterRecord, OperationRecord} from './state.js'
import {clusterView, containerOperationView, regionOf} from './views.js'

const P = '/v1/projects/{project}/locations/{location}'
const CLUSTER_NAME = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/

/** Container enums arrive as integers ($alt=json;enum-encoding=int); only the ones mcfed sends matter. */
const OPERATION_TYPES = {create: 'CREATE_CLUSTER', delete: 'DELETE_CLUSTER', update: 'UPDATE_CLUSTER', labels: 'SET_LABELS', size: 'SET_NODE_POOL_SIZE', pool: 'UPGRADE_NODES'}

function clusterKey(project: string, location: string, name: string): string {
  return `${project}/${location}/${name}`
}

function getCluster(ctx: SimContext, project: string, location: string, name: string): ClusterRecord {
  const c = ctx.state.clusters[clusterKey(project, location, name)]
  if (!c) throw new GoogleApiError(404, 'notFound', `Not found: projects/${project}/locations/${location}/clusters/${name}.`)
  return c
}

function targetLink(project: string, location: string, name: string): string {
  return `${CONTAINER_BASE}/projects/${project}/locations/${location}/clusters/${name}`
}

/** GKE runs one mutating operation per cluster at a time. */
function assertIdle(ctx: SimContext, project: string, c: ClusterRecord): void {
  const link = targetLink(project, c.location, c.name)
  const running = Object.values(ctx.state.operations).find((op) => op.api === 'container' && op.targetLink === link && !ctx.isDone(op))
  if (running) throw failedPrecondition(`Cluster is running incompatible operation ${running.name}.`)
}

function op(ctx: SimContext, project: string, location: string, name: string, type: string, onDone?: OperationRecord['onDone'], durationMs = ctx.options.clusterOperationMs): object {
  const record = ctx.startOperation({api: 'container', scope: location, operationType: type, targetLink: targetLink(project, location, name), locks: [], durationMs, onDone})
  ctx.persist()
  return containerOperationView(ctx, project, record)
}

const clusterRoutes: Route[] = [
  route('GET', 'container.projects.locations.clusters.list', `${P}/clusters`, (ctx, {params}) => {
    const clusters = Object.entries(ctx.state.clusters)
      .filter(([k, c]) => k.startsWith(`${params.project}/`) && (params.location === '-' || c.location === params.location))
      .map(([, c]) => clusterView(params.project!, c))
    return {clusters, missingZones: []}
  }),
  route('GET', 'container.projects.locations.clusters.get', `${P}/clusters/{cluster}`, (ctx, {params}) =>
    clusterView(params.project!, getCluster(ctx, params.project!, params.location!, params.cluster!)),
  ),
  route('POST', 'container.projects.locations.clusters.create', `${P}/clusters`, async (ctx, {params, body}) => {
    const project = params.project!
    const location = params.location!
    const c = body?.cluster
    if (!c || typeof c.name !== 'string' || !CLUSTER_NAME.test(c.name)) throw badRequest(`Invalid cluster name "${String(c?.name)}".`)
    if (ctx.state.clusters[clusterKey(project, location, c.name)]) throw new GoogleApiError(409, 'alreadyExists', `Already exists: projects/${project}/locations/${location}/clusters/${c.name}.`)
    // A Shared VPC in a host project is named by its full path; a network of the cluster's own project by its name.
    const networkName = c.network || 'default'
    const netPath = /^projects\/([^/]+)\/global\/networks\/([^/]+)$/.exec(networkName)
    const netProject = netPath?.[1] ?? project
    const network = ctx.state.networks[`${netProject}/${netPath?.[2] ?? networkName}`]
    if (!network) throw badRequest(`network "${networkName}" does not exist.`)
    const region = regionOf(location)
    const subPath = /^projects\/([^/]+)\/regions\/([^/]+)\/subnetworks\/([^/]+)$/.exec(c.subnetwork ?? '')
    const subnet = ctx.state.subnetworks[subPath ? `${subPath[1]}/${subPath[2]}/${subPath[3]}` : `${project}/${region}/${c.subnetwork}`]
    if (!subnet || subnet.network !== `${netProject}/${netPath?.[2] ?? networkName}` || (subPath && subPath[2] !== region)) {
      throw badRequest(`Subnetwork "${subPath ? c.subnetwork : `projects/${project}/regions/${region}/subnetworks/${c.subnetwork}`}" is not valid for Network "${networkName}".`)
    }
    const ip = c.ipAllocationPolicy ?? {}
    if (!ip.useIpAliases) throw badRequest('mcfed sandbox supports VPC-native (useIpAliases) clusters only.')
    if (ip.clusterSecondaryRangeName === ip.servicesSecondaryRangeName) {
      throw badRequest(`Pod secondary range name (${ip.clusterSecondaryRangeName}) should not be the same as service secondary range name.`)
    }
    const range = (n: string, what: string) => {
      const r = subnet.secondaryIpRanges.find((x) => x.rangeName === n)
      if (!r) throw badRequest(`${what} secondary range "${n}" not found in network "${networkName}", subnetwork "${subnet.name}".`)
      return r.ipCidrRange
    }
    const pods = range(ip.clusterSecondaryRangeName, 'Pod')
    const services = range(ip.servicesSecondaryRangeName, 'Services')
    const pools: {name: string; config?: {machineType?: string}; initialNodeCount?: number; locations?: string[]; maxPodsConstraint?: {maxPodsPerNode?: string | number}}[] = c.nodePools ?? []
    if (pools.length === 0) throw badRequest('Cluster.node_pools must have at least one node pool.')
    const locations: string[] = c.locations?.length ? c.locations : /-[a-z]$/.test(location) ? [location] : ['a', 'b', 'c'].map((z) => `${location}-${z}`)
    if (/-[a-z]$/.test(location) && !locations.includes(location)) throw badRequest(`Cluster locations must include the cluster zone ${location}.`)
    const record: ClusterRecord = {
      id: ctx.id(),
      name: c.name,
      location,
      locations,
      network: networkName,
      subnetwork: subPath ? c.subnetwork : subnet.name,
      clusterSecondaryRangeName: ip.clusterSecondaryRangeName,
      servicesSecondaryRangeName: ip.servicesSecondaryRangeName,
      clusterIpv4CidrBlock: pods,
      servicesIpv4CidrBlock: services,
      nodePools: pools.map((p) => ({
        name: p.name,
        machineType: p.config?.machineType ?? 'e2-medium',
        nodeCount: p.initialNodeCount ?? 3,
        maxPodsPerNode: Number(p.maxPodsConstraint?.maxPodsPerNode ?? c.defaultMaxPodsConstraint?.maxPodsPerNode ?? 110),
        locations: p.locations?.length ? p.locations : locations,
      })),
      resourceLabels: c.resourceLabels ?? {},
      labelFingerprint: ctx.fingerprint().slice(0, 8),
      status: 'PROVISIONING',
      endpoint: '',
      caCertificate: '',
      created: ctx.now(),
    }
    if (!ctx.suppressed) {
      const access = ctx.options.onClusterCreated ? await ctx.options.onClusterCreated(project, location, c.name, pods) : placeholderAccess()
      record.endpoint = access.endpoint
      record.caCertificate = access.caCertificate
      ctx.state.clusters[clusterKey(project, location, c.name)] = record
    }
    return op(ctx, project, location, c.name, OPERATION_TYPES.create, {effect: 'cluster-running', location, name: c.name})
  }),
  route('DELETE', 'container.projects.locations.clusters.delete', `${P}/clusters/{cluster}`, async (ctx, {params}) => {
    const c = getCluster(ctx, params.project!, params.location!, params.cluster!)
    assertIdle(ctx, params.project!, c)
    if (!ctx.suppressed) {
      c.status = 'STOPPING'
      if (ctx.options.onClusterDeleted) await ctx.options.onClusterDeleted(params.project!, c.location, c.name)
    }
    return op(ctx, params.project!, c.location, c.name, OPERATION_TYPES.delete, ctx.suppressed ? undefined : {effect: 'cluster-delete', location: c.location, name: c.name})
  }),
  route('PUT', 'container.projects.locations.clusters.update', `${P}/clusters/{cluster}`, (ctx, {params, body}) => {
    const c = getCluster(ctx, params.project!, params.location!, params.cluster!)
    const update = body?.update ?? {}
    const fields = Object.keys(update).filter((k) => k.startsWith('desired') && k !== 'desiredNodePoolId')
    if (fields.length !== 1) throw badRequest(`Exactly one update can be applied to a cluster at a time; got ${fields.length} (${fields.join(', ')}).`)
    if (fields[0] !== 'desiredLocations') throw badRequest(`The sandbox does not simulate ${fields[0]}.`)
    assertIdle(ctx, params.project!, c)
    const locations: string[] = update.desiredLocations
    if (/-[a-z]$/.test(c.location) && !locations.includes(c.location)) throw badRequest(`Cluster locations must include the cluster zone ${c.location}.`)
    if (!ctx.suppressed) {
      c.locations = locations
      for (const p of c.nodePools) p.locations = locations
      c.status = 'RECONCILING'
    }
    return op(ctx, params.project!, c.location, c.name, OPERATION_TYPES.update, {effect: 'cluster-reconciled', location: c.location, name: c.name}, ctx.options.operationMs)
  }),
  route('POST', 'container.projects.locations.clusters.setResourceLabels', `${P}/clusters/{cluster}:setResourceLabels`, (ctx, {params, body}) => {
    const c = getCluster(ctx, params.project!, params.location!, params.cluster!)
    if (body?.labelFingerprint !== c.labelFingerprint) {
      throw failedPrecondition(
        `Labels could not be set due to fingerprint mismatch; try again with the proper fingerprint: incorrect fingerprint supplied was "${body?.labelFingerprint ?? ''}", the expected one is "${c.labelFingerprint}".`,
      )
    }
    assertIdle(ctx, params.project!, c)
    if (!ctx.suppressed) {
      c.resourceLabels = body.resourceLabels ?? {}
      c.labelFingerprint = ctx.fingerprint().slice(0, 8)
    }
    return op(ctx, params.project!, c.location, c.name, OPERATION_TYPES.labels, undefined, ctx.options.operationMs)
  }),
  route('POST', 'container.projects.locations.clusters.nodePools.setSize', `${P}/clusters/{cluster}/nodePools/{pool}:setSize`, (ctx, {params, body}) => {
    const c = getCluster(ctx, params.project!, params.location!, params.cluster!)
    const pool = c.nodePools.find((p) => p.name === params.pool)
    if (!pool) throw notFound(`projects/${params.project}/locations/${params.location}/clusters/${c.name}/nodePools/${params.pool}`)
    assertIdle(ctx, params.project!, c)
    if (!ctx.suppressed) pool.nodeCount = Number(body?.nodeCount ?? pool.nodeCount)
    return op(ctx, params.project!, c.location, c.name, OPERATION_TYPES.size, undefined, ctx.options.operationMs)
  }),
  route('PUT', 'container.projects.locations.clusters.nodePools.update', `${P}/clusters/{cluster}/nodePools/{pool}`, (ctx, {params, body}) => {
    const c = getCluster(ctx, params.project!, params.location!, params.cluster!)
    const pool = c.nodePools.find((p) => p.name === params.pool)
    if (!pool) throw notFound(`projects/${params.project}/locations/${params.location}/clusters/${c.name}/nodePools/${params.pool}`)
    assertIdle(ctx, params.project!, c)
    if (!ctx.suppressed && body?.machineType) pool.machineType = body.machineType
    return op(ctx, params.project!, c.location, c.name, OPERATION_TYPES.pool, undefined, ctx.options.operationMs)
  }),
  route('GET', 'container.projects.locations.operations.list', `${P}/operations`, (ctx, {params}) => ({
    operations: Object.values(ctx.state.operations)
      .filter((o) => o.api === 'container' && o.targetLink.includes(`/projects/${params.project}/`) && (params.location === '-' || o.scope === params.location))
      .map((o) => containerOperationView(ctx, params.project!, o)),
  })),
  route('GET', 'container.projects.locations.operations.get', `${P}/operations/{operation}`, (ctx, {params}) => {
    const record = ctx.state.operations[`container/${params.operation}`]
    if (!record) throw new GoogleApiError(404, 'notFound', `Not found: projects/${params.project}/locations/${params.location}/operations/${params.operation}.`)
    return containerOperationView(ctx, params.project!, record)
  }),
]


/** Until a cluster gets a real API server (the sandbox's launcher), it reports a loopback endpoint. */
function placeholderAccess(): {endpoint: string; caCertificate: string} {
  return {endpoint: '127.0.0.1', caCertificate: ''}
}

export const containerRoutes: Route[] = clusterRoutes
