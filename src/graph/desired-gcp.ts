import type {FederationSpec} from '../spec/types.js'
import {
  NODE_POOL_NAME,
  PODS_RANGE_NAME,
  SERVICES_RANGE_NAME,
  networkName,
  peeringName,
  subnetworkName,
} from './names.js'
import {peerFirewalls} from './firewalls.js'
import {LABEL_FEDERATION, LABEL_MANAGED_BY, formatMarker} from './ownership.js'
import {NO_INPUTS, NO_UNKNOWNS, address, type DesiredResource, type Json} from './resource.js'
import {SHARED_NETWORK, clusterNames, hostProjectAttribute, isSharedNetwork, networkOwner, peeringPairs, peersOf} from './topology.js'


/**
 * Networks, subnets, peering halves, firewalls and GKE clusters, in that dependency order. With
 * `gcp.network: shared` one VPC (in the Shared VPC host project, if named) holds every cluster's
 * subnet, there is no peering, and one firewall rule admits every cluster's ranges.
 */
export function desiredGcp(spec: FederationSpec): DesiredResource[] {
  const out: DesiredResource[] = []
  // A cluster reached through a kubeContext is not mcfed's to create: no VPC, peering or GKE cluster.
  const clusters = Object.fromEntries(Object.entries(spec.spec.clusters).filter(([, c]) => !c.kubeContext))
  spec = {...spec, spec: {...spec.spec, clusters}}
  const shared = isSharedNetwork(spec)
  // In a shared VPC every cluster is every other's peer: that map is not built (300 clusters, 89,700 entries).
  const peers = shared ? new Map<string, Set<string>>() : peersOf(spec)
  // Objects in a Shared VPC host project say so; in the clusters' own project they need not.
  const host = hostProjectAttribute(spec).project
  const hostAttr: Record<string, Json> = host ? {project: host} : {}
  const owners = shared ? (clusterNames(spec).length > 0 ? [SHARED_NETWORK] : []) : clusterNames(spec)
  const network = (owner: string): DesiredResource => ({
    address: address('gcp_network', owner),
    kind: 'gcp_network',
    name: owner,
    cluster: owner,
    attributes: {
      name: shared ? networkName(spec, clusterNames(spec)[0]!) : networkName(spec, owner),
      auto_create_subnetworks: false,
      routing_mode: shared ? 'GLOBAL' : 'REGIONAL',
      mtu: 1460,
      description: formatMarker({federation: spec.metadata.name, cluster: owner}),
      ...hostAttr,
    },
    unknown: NO_UNKNOWNS,
    inputs: NO_INPUTS,
    dependsOn: [],
    replacedWith: [],
  })
  const subnet = (name: string): DesiredResource => {
    const c = clusters[name]!
    const net = address('gcp_network', networkOwner(spec, name))
    return {
      address: address('gcp_subnetwork', name),
      kind: 'gcp_subnetwork',
      name,
      cluster: name,
      attributes: {
        name: subnetworkName(spec, name),
        network: networkName(spec, name),
        region: c.region,
        ip_cidr_range: c.network.subnet,
        secondary_ip_ranges: {[PODS_RANGE_NAME]: c.network.pods, [SERVICES_RANGE_NAME]: c.network.services},
        private_ip_google_access: true,
        description: formatMarker({federation: spec.metadata.name, cluster: name}),
        ...hostAttr,
      },
      unknown: NO_UNKNOWNS,
      inputs: NO_INPUTS,
      dependsOn: [net],
      replacedWith: [net],
    }
  }
  // Each cluster's network then its subnet; a shared VPC first, then every subnet in it.
  if (shared) {
    out.push(...owners.map(network), ...clusterNames(spec).map(subnet))
  } else {
    for (const name of clusterNames(spec)) out.push(network(name), subnet(name))
  }
  const seen = new Set<string>()
  for (const {a, b} of peeringPairs(spec)) {
    if (a === b || !clusters[a] || !clusters[b] || seen.has(`${a}\u0000${b}`) || seen.has(`${b}\u0000${a}`)) continue
    seen.add(`${a}\u0000${b}`)
    const first = address('gcp_peering', `${a}-${b}`)
    // The second half waits for the first: GCP allows one peering operation per network pair at a
    // time, and only the second half can be awaited until both sides are ACTIVE.
    out.push(peeringHalf(spec, a, b, []))
    out.push(peeringHalf(spec, b, a, [first]))
  }
  for (const name of owners) {
    // A shared VPC admits every cluster's ranges; a cluster's own VPC admits its peers'.
    for (const rule of peerFirewalls(spec, name, shared ? clusterNames(spec) : (peers.get(name) ?? []))) {
      out.push({
        address: address('gcp_firewall', rule.name),
        kind: 'gcp_firewall',
        name: rule.name,
        cluster: name,
        attributes: {
          name: rule.ruleName,
          network: networkName(spec, name),
          direction: 'INGRESS',
          priority: 1000,
          source_ranges: [...rule.ranges],
          allowed: ['icmp', 'tcp', 'udp'],
          description: formatMarker({federation: spec.metadata.name, cluster: name, rule: rule.part}),
          ...hostAttr,
        },
        unknown: NO_UNKNOWNS,
        inputs: NO_INPUTS,
        dependsOn: [address('gcp_network', name)],
        replacedWith: [address('gcp_network', name)],
      })
    }
  }
  for (const name of clusterNames(spec)) {
    const c = clusters[name]!
    out.push({
      address: address('gke_cluster', name),
      kind: 'gke_cluster',
      name,
      cluster: name,
      attributes: {
        name,
        location: c.zone ?? c.region,
        node_locations: c.zone ? [c.zone] : [],
        // A Shared VPC in another project is named by its full path, as GKE asks.
        network: host ? `projects/${host}/global/networks/${networkName(spec, name)}` : networkName(spec, name),
        subnetwork: host ? `projects/${host}/regions/${c.region}/subnetworks/${subnetworkName(spec, name)}` : subnetworkName(spec, name),
        pods_range_name: PODS_RANGE_NAME,
        services_range_name: SERVICES_RANGE_NAME,
        cluster_ipv4_cidr: c.network.pods,
        services_ipv4_cidr: c.network.services,
        node_pool_name: NODE_POOL_NAME,
        machine_type: c.machineType,
        node_count: c.nodeCount,
        max_pods_per_node: c.maxPodsPerNode,
        resource_labels: {[LABEL_MANAGED_BY]: 'mcfed', [LABEL_FEDERATION]: spec.metadata.name},
        endpoint: null,
        ca_certificate: null,
      },
      unknown: ['endpoint', 'ca_certificate'],
      inputs: NO_INPUTS,
      dependsOn: [address('gcp_subnetwork', name)],
      replacedWith: [address('gcp_subnetwork', name)],
    })
  }
  return out
}

function peeringHalf(spec: FederationSpec, from: string, to: string, after: string[]): DesiredResource {
  return {
    address: address('gcp_peering', `${from}-${to}`),
    kind: 'gcp_peering',
    name: `${from}-${to}`,
    cluster: from,
    attributes: {
      name: peeringName(spec, from, to),
      network: networkName(spec, from),
      peer_network: networkName(spec, to),
      exchange_subnet_routes: true,
      export_custom_routes: true,
      import_custom_routes: true,
    },
    unknown: NO_UNKNOWNS,
    inputs: NO_INPUTS,
    dependsOn: [address('gcp_network', from), address('gcp_network', to), ...after],
    // A peering names its peer network; a new network of the same name needs a new peering.
    replacedWith: [address('gcp_network', from), address('gcp_network', to)],
  }
}
