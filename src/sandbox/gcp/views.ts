import {COMPUTE_BASE, CONTAINER_BASE, type SimContext} from './context.js'
import {networkKeyOf} from './ranges.js'
import type {ClusterRecord, FirewallRecord, NetworkRecord, OperationRecord, SubnetworkRecord} from './state.js'

/** Records → the JSON the real APIs return (selfLinks, kinds, ids as strings, computed state). */
const iso = (t: number) => new Date(t).toISOString()
const networkUrl = (key: string) => {
  const [p, n] = key.split('/')
  return `${COMPUTE_BASE}/projects/${p}/global/networks/${n}`
}

/**
 * What a network's view reads from the rest of the state: its subnets, and which networks peer
 * back (a peering is ACTIVE when both halves exist). Made once per request, so a list of N
 * networks does not scan every subnet and every peer's peerings N times over.
 */
export interface NetworkNeighbours {
  subnetUrls(key: string): readonly string[]
  peersOf(key: string): ReadonlySet<string>
}

/** For a list: every network's subnets indexed in one pass, each network's peers read once. */
export function networkNeighbours(ctx: SimContext, project: string): NetworkNeighbours {
  const subnets = new Map<string, string[]>()
  for (const s of Object.values(ctx.state.subnetworks)) {
    const urls = subnets.get(s.network) ?? subnets.set(s.network, []).get(s.network)!
    urls.push(subnetUrl(project, s))
  }
  return {subnetUrls: (key) => subnets.get(key) ?? [], peersOf: peersReader(ctx, project)}
}

/** For one network (a GET): only its own subnets, without indexing everyone's. */
function oneNetworkNeighbours(ctx: SimContext, project: string): NetworkNeighbours {
  return {
    subnetUrls: (key) => Object.values(ctx.state.subnetworks).filter((s) => s.network === key).map((s) => subnetUrl(project, s)),
    peersOf: peersReader(ctx, project),
  }
}

function peersReader(ctx: SimContext, project: string): (key: string) => ReadonlySet<string> {
  const peers = new Map<string, ReadonlySet<string>>()
  return (key) => peers.get(key) ?? peers.set(key, new Set((ctx.state.networks[key]?.peerings ?? []).map((q) => networkKeyOf(q.network, project)))).get(key)!
}

export function networkView(ctx: SimContext, project: string, n: NetworkRecord, neighbours = oneNetworkNeighbours(ctx, project)): object {
  const key = `${project}/${n.name}`
  return {
    kind: 'compute#network',
    id: n.id,
    creationTimestamp: iso(n.created),
    name: n.name,
    description: n.description,
    selfLink: networkUrl(key),
    selfLinkWithId: `${COMPUTE_BASE}/projects/${project}/global/networks/${n.id}`,
    autoCreateSubnetworks: n.autoCreateSubnetworks,
    routingConfig: {routingMode: n.routingMode},
    mtu: n.mtu,
    networkFirewallPolicyEnforcementOrder: 'AFTER_CLASSIC_FIREWALL',
    subnetworks: [...neighbours.subnetUrls(key)],
    peerings: n.peerings.map((p) => {
      const peerKey = networkKeyOf(p.network, project)
      const peer = ctx.state.networks[peerKey]
      const active = neighbours.peersOf(peerKey).has(key)
      return {
        name: p.name,
        network: networkUrl(peerKey),
        state: active ? 'ACTIVE' : 'INACTIVE',
        stateDetails: active ? `[${iso(n.created)}]: Connected.` : 'Waiting for peer network to connect.',
        exchangeSubnetRoutes: p.exchangeSubnetRoutes,
        autoCreateRoutes: p.exchangeSubnetRoutes,
        exportCustomRoutes: p.exportCustomRoutes,
        importCustomRoutes: p.importCustomRoutes,
        exportSubnetRoutesWithPublicIp: true,
        importSubnetRoutesWithPublicIp: false,
        stackType: 'IPV4_ONLY',
        peerMtu: peer?.mtu ?? 1460,
      }
    }),
  }
}

function subnetUrl(project: string, s: SubnetworkRecord): string {
  return `${COMPUTE_BASE}/projects/${project}/regions/${s.region}/subnetworks/${s.name}`
}

export function subnetworkView(project: string, s: SubnetworkRecord): object {
  return {
    kind: 'compute#subnetwork',
    id: s.id,
    creationTimestamp: iso(s.created),
    name: s.name,
    description: s.description,
    network: networkUrl(s.network),
    region: `${COMPUTE_BASE}/projects/${project}/regions/${s.region}`,
    ipCidrRange: s.ipCidrRange,
    gatewayAddress: gateway(s.ipCidrRange),
    secondaryIpRanges: s.secondaryIpRanges,
    privateIpGoogleAccess: s.privateIpGoogleAccess,
    fingerprint: s.fingerprint,
    selfLink: subnetUrl(project, s),
    stackType: 'IPV4_ONLY',
    purpose: 'PRIVATE',
    state: 'READY',
  }
}

function gateway(cidr: string): string {
  const [ip] = cidr.split('/')
  const parts = ip!.split('.').map(Number)
  parts[3] = parts[3]! + 1
  return parts.join('.')
}

export function firewallView(project: string, f: FirewallRecord): object {
  return {
    kind: 'compute#firewall',
    id: f.id,
    creationTimestamp: iso(f.created),
    name: f.name,
    description: f.description,
    network: networkUrl(f.network),
    priority: f.priority,
    sourceRanges: f.sourceRanges,
    allowed: f.allowed,
    direction: f.direction,
    disabled: f.disabled,
    logConfig: {enable: false},
    selfLink: `${COMPUTE_BASE}/projects/${project}/global/firewalls/${f.name}`,
  }
}

export function computeOperationView(ctx: SimContext, project: string, op: OperationRecord): object {
  const done = ctx.isDone(op)
  const scope = op.scope === 'global' ? 'global' : op.scope
  return {
    kind: 'compute#operation',
    id: op.id,
    name: op.name,
    operationType: op.operationType,
    targetLink: op.targetLink,
    targetId: op.id,
    status: done ? 'DONE' : 'RUNNING',
    user: 'mcfed-sandbox',
    progress: done ? 100 : 0,
    insertTime: iso(op.start),
    startTime: iso(op.start),
    ...(done ? {endTime: iso(op.doneAt!)} : {}),
    selfLink: `${COMPUTE_BASE}/projects/${project}/${scope}/operations/${op.name}`,
    ...(op.scope.startsWith('regions/') ? {region: `${COMPUTE_BASE}/projects/${project}/${op.scope}`} : {}),
    ...(done && op.error
      ? {
          error: {errors: [{code: op.error.code, message: op.error.message}]},
          httpErrorStatusCode: op.error.httpStatus,
          httpErrorMessage: op.error.httpStatus === 409 ? 'CONFLICT' : 'BAD REQUEST',
        }
      : {}),
  }
}

export function clusterView(project: string, c: ClusterRecord): object {
  const totalNodes = c.nodePools.reduce((n, p) => n + p.nodeCount * Math.max(1, p.locations.length), 0)
  const zonal = /-[a-z]$/.test(c.location)
  const link = `${CONTAINER_BASE}/projects/${project}/${zonal ? 'zones' : 'locations'}/${c.location}/clusters/${c.name}`
  return {
    name: c.name,
    id: c.id,
    location: c.location,
    zone: c.location,
    locations: c.locations,
    network: c.network,
    subnetwork: c.subnetwork,
    networkConfig: {
      network: `projects/${project}/global/networks/${c.network}`,
      subnetwork: `projects/${project}/regions/${regionOf(c.location)}/subnetworks/${c.subnetwork}`,
    },
    ipAllocationPolicy: {
      useIpAliases: true,
      clusterSecondaryRangeName: c.clusterSecondaryRangeName,
      servicesSecondaryRangeName: c.servicesSecondaryRangeName,
      clusterIpv4CidrBlock: c.clusterIpv4CidrBlock,
      servicesIpv4CidrBlock: c.servicesIpv4CidrBlock,
      clusterIpv4Cidr: c.clusterIpv4CidrBlock,
      servicesIpv4Cidr: c.servicesIpv4CidrBlock,
      stackType: 'IPV4',
    },
    clusterIpv4Cidr: c.clusterIpv4CidrBlock,
    servicesIpv4Cidr: c.servicesIpv4CidrBlock,
    nodePools: c.nodePools.map((p) => ({
      name: p.name,
      config: {machineType: p.machineType, diskSizeGb: 100, imageType: 'COS_CONTAINERD'},
      initialNodeCount: p.nodeCount,
      locations: p.locations,
      maxPodsConstraint: {maxPodsPerNode: String(p.maxPodsPerNode)},
      status: c.status === 'RUNNING' ? 'RUNNING' : c.status === 'STOPPING' ? 'STOPPING' : 'PROVISIONING',
      version: '1.31.5-gke.1000000',
      selfLink: `${link}/nodePools/${p.name}`,
      podIpv4CidrSize: 24,
    })),
    defaultMaxPodsConstraint: {maxPodsPerNode: String(c.nodePools[0]?.maxPodsPerNode ?? 110)},
    resourceLabels: c.resourceLabels,
    labelFingerprint: c.labelFingerprint,
    status: c.status,
    endpoint: c.endpoint,
    masterAuth: {clusterCaCertificate: c.caCertificate},
    currentMasterVersion: '1.31.5-gke.1000000',
    currentNodeVersion: '1.31.5-gke.1000000',
    currentNodeCount: totalNodes,
    createTime: iso(c.created),
    selfLink: link,
  }
}

export function containerOperationView(ctx: SimContext, project: string, op: OperationRecord): object {
  const done = ctx.isDone(op)
  return {
    name: op.name,
    zone: op.scope,
    location: op.scope,
    operationType: op.operationType,
    status: done ? 'DONE' : 'RUNNING',
    selfLink: `${CONTAINER_BASE}/projects/${project}/locations/${op.scope}/operations/${op.name}`,
    targetLink: op.targetLink,
    startTime: iso(op.start),
    ...(done ? {endTime: iso(op.doneAt!)} : {}),
    ...(done && op.error ? {error: {code: 9, message: op.error.message}, statusMessage: op.error.message} : {}),
  }
}

export function regionOf(location: string): string {
  return /-[a-z]$/.test(location) ? location.replace(/-[a-z]$/, '') : location
}
