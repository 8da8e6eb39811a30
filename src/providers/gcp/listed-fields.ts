import type {protos as compute} from '@google-cloud/compute'
import type {protos as container} from '@google-cloud/container'

type Element<T> = T extends readonly (infer U)[] ? U : T

/** Which fields of a message to keep: `true` keeps a field whole, a nested tree keeps part of a message field. */
export type FieldTree<T> = {readonly [K in keyof T]?: true | FieldTree<NonNullable<Element<NonNullable<T[K]>>>>}

/** A message as decoded with only the fields its tree keeps: reading any other one does not compile. */
export type Listed<T, F> = {
  [K in keyof F & keyof T]?: F[K] extends true
    ? T[K]
    : NonNullable<T[K]> extends readonly (infer U)[]
      ? Array<Listed<U, F[K]>> | null
      : Listed<NonNullable<T[K]>, F[K]> | null
}

/**
 * The fields of each listed object that mcfed's reads use (a network as GCP returns it has about
 * twenty, a cluster about ninety). The list calls ask the API for only these (`listFieldMask`) and
 * the build decodes list responses into messages of only these (scripts/prune-protos.mjs); writes
 * and single GETs keep the full messages. Reading a field left out here is a type error, so the
 * trees cannot fall behind the code that reads them.
 */
export const LISTED_FIELDS = {
  networks: {
    name: true,
    description: true,
    autoCreateSubnetworks: true,
    routingConfig: {routingMode: true},
    mtu: true,
    selfLink: true,
    peerings: {name: true, network: true, state: true, exchangeSubnetRoutes: true, exportCustomRoutes: true, importCustomRoutes: true},
  },
  subnetworks: {
    name: true,
    description: true,
    region: true,
    network: true,
    ipCidrRange: true,
    secondaryIpRanges: {rangeName: true, ipCidrRange: true},
    privateIpGoogleAccess: true,
    fingerprint: true,
  },
  firewalls: {
    name: true,
    description: true,
    network: true,
    direction: true,
    priority: true,
    sourceRanges: true,
    allowed: {IPProtocol: true},
  },
  clusters: {
    name: true,
    location: true,
    locations: true,
    network: true,
    subnetwork: true,
    ipAllocationPolicy: {clusterSecondaryRangeName: true, servicesSecondaryRangeName: true, clusterIpv4CidrBlock: true, servicesIpv4CidrBlock: true},
    nodePools: {name: true, config: {machineType: true}, maxPodsConstraint: {maxPodsPerNode: true}},
    currentNodeCount: true,
    defaultMaxPodsConstraint: {maxPodsPerNode: true},
    resourceLabels: true,
    endpoint: true,
    masterAuth: {clusterCaCertificate: true},
    status: true,
  },
} as const satisfies {
  networks: FieldTree<compute.google.cloud.compute.v1.INetwork>
  subnetworks: FieldTree<compute.google.cloud.compute.v1.ISubnetwork>
  firewalls: FieldTree<compute.google.cloud.compute.v1.IFirewall>
  clusters: FieldTree<container.google.container.v1.ICluster>
}

/**
 * Where each list's objects sit in the descriptors: the method listing them, the message holding
 * them (the response, or for an aggregated list the per-scope message), that message's field
 * holding them, and their message. The build gives that field a message of only the kept fields.
 */
export const LISTED_MESSAGES = {
  networks: {package: 'google.cloud.compute.v1', service: 'Networks', method: 'List', response: 'NetworkList', field: 'items', message: 'Network'},
  subnetworks: {package: 'google.cloud.compute.v1', service: 'Subnetworks', method: 'AggregatedList', response: 'SubnetworksScopedList', field: 'subnetworks', message: 'Subnetwork'},
  firewalls: {package: 'google.cloud.compute.v1', service: 'Firewalls', method: 'List', response: 'FirewallList', field: 'items', message: 'Firewall'},
  clusters: {package: 'google.container.v1', service: 'ClusterManager', method: 'ListClusters', response: 'ListClustersResponse', field: 'clusters', message: 'Cluster'},
} as const satisfies Record<keyof typeof LISTED_FIELDS, {package: string; service: string; method: string; response: string; field: string; message: string}>

/**
 * The response field mask (`X-Goog-FieldMask`, a system parameter of every Google API) for a list:
 * the listed objects' kept fields and the page token, so the API sends only what the read decodes.
 * The aggregated subnet list is left whole: its objects sit in a map keyed by region, and a mask
 * through a map's values is a form this project cannot check against the real API.
 */
export function listFieldMask(list: Exclude<keyof typeof LISTED_FIELDS, 'subnetworks'>): string {
  const paging = list === 'clusters' ? [] : ['nextPageToken']
  return [...paging, `${LISTED_MESSAGES[list].field}(${maskOf(LISTED_FIELDS[list])})`].join(',')
}

function maskOf(tree: object): string {
  return Object.entries(tree)
    .map(([field, keep]) => (keep === true ? field : `${field}(${maskOf(keep as object)})`))
    .join(',')
}

/** The prefix of the messages the build makes: `ListedNetwork`, `ListedNetworkPeering`. */
export const LISTED_PREFIX = 'Listed'

export type ListedNetwork = Listed<compute.google.cloud.compute.v1.INetwork, typeof LISTED_FIELDS.networks>
export type ListedSubnetwork = Listed<compute.google.cloud.compute.v1.ISubnetwork, typeof LISTED_FIELDS.subnetworks>
export type ListedFirewall = Listed<compute.google.cloud.compute.v1.IFirewall, typeof LISTED_FIELDS.firewalls>
export type ListedCluster = Listed<container.google.container.v1.ICluster, typeof LISTED_FIELDS.clusters>
