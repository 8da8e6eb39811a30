import {
  CANARY,
  GATEWAY_PORT,
  LINKERD_NAMESPACE,
  MULTICLUSTER_NAMESPACE,
  PROBE_PATH,
  PROBE_PERIOD,
  PROBE_PORT,
  REMOTE_ACCESS_RULES,
  generationSecretName,
  remoteAccessName,
} from '../linkerd/names.js'
import {ruleString} from '../linkerd/rules.js'
import type {FederationSpec} from '../spec/types.js'
import type {EstateFacts} from './facts.js'
import {NO_INPUTS, NO_UNKNOWNS, address, clusterAddress, type DesiredResource} from './resource.js'
import {peerFirewallAddresses} from './firewalls.js'
import {gatewayIdentity} from './authorization.js'
import {SHARED_NETWORK, clusterNames, isSharedNetwork, modeLabel, peersOf, trustDomainOf, type DerivedLink} from './topology.js'

/**
 * Links that cannot be written yet: their consumer or target has no multicluster extension (no
 * Link CRD, no `linkerd-multicluster` namespace), or, when someone else installs it, does not exist
 * yet (this apply creates it; the extension can only come after). They are neither planned nor
 * pruned until then, so that Linkerd installed after the clusters does not block the rest of a plan.
 */
export function heldLinks(spec: FederationSpec, links: readonly DerivedLink[], facts: EstateFacts): DerivedLink[] {
  // With `install: mcfed` the extension (and its Link CRD) comes in the same apply, before the Links.
  if (spec.spec.linkerd.install === 'mcfed') return []
  const waits = (cluster: string) => {
    const f = facts.clusters[cluster]
    return f?.linkCrd === false || (facts.read === true && f === undefined)
  }
  return links.filter((l) => waits(l.from) || waits(l.to))
}

/**
 * Every link's rules: one list shared by 15,000 remote accesses rather than 15,000 copies, frozen
 * so that a write to it throws rather than changing them all (and so renderers may format it once).
 */
const REMOTE_ACCESS_RULE_LINES = Object.freeze(REMOTE_ACCESS_RULES.map(ruleString)) as string[]

/** `linkerd_remote_access.<target>/<consumer>/<link>`: lives on the target, serves one consumer's link. */
export function remoteAccessAddress(link: DerivedLink): string {
  return address('linkerd_remote_access', `${link.to}/${link.from}/${link.name}`)
}

/**
 * The ServiceAccount, ClusterRole and ClusterRoleBinding on the target that one consumer's link
 * authenticates as: read-only remote access, and nothing shared with any other link, so removing
 * the link revokes exactly its tokens.
 */
export function desiredRemoteAccess(spec: FederationSpec, link: DerivedLink): DesiredResource {
  const target = clusterAddress('gke_cluster', link.to)
  const extension = spec.spec.linkerd.install === 'mcfed' ? [clusterAddress('linkerd_multicluster', link.to)] : []
  return {
    address: remoteAccessAddress(link),
    kind: 'linkerd_remote_access',
    name: `${link.to}/${link.from}/${link.name}`,
    cluster: link.to,
    attributes: {
      namespace: MULTICLUSTER_NAMESPACE,
      service_account: remoteAccessName(link.from, link.name),
      consumer: link.from,
      link: link.name,
      rules: REMOTE_ACCESS_RULE_LINES,
      bound: true,
    },
    unknown: NO_UNKNOWNS,
    inputs: NO_INPUTS,
    dependsOn: [target, ...extension],
    replacedWith: [target],
  }
}

/**
 * A Link in the consuming cluster, naming credential generation `generation`, and the destination
 * controller's copy of that generation. A flat link carries only the remote-discovery and
 * federated selectors, a gateway link only the exported selector and the gateway fields: Linkerd
 * treats a missing selector as "nothing", while a gateway link with the flat selectors mirrors
 * flat services twice and counts its cluster twice in federated services. `needs` are the addresses
 * of the credential generation it names and of its remote access on the target.
 */
export function desiredLink(spec: FederationSpec, link: DerivedLink, generation: number, facts: EstateFacts, needs: {readonly credential: string; readonly access: string}): DesiredResource {
  const {from, to, name} = link
  const target = facts.clusters[to]
  const gateway = target?.gateway
  const selectors =
    link.mode === 'flat'
      ? {selector: null, remote_discovery_selector: selector(modeLabel('flat')), federated_service_selector: selector(modeLabel('federated'))}
      : {selector: selector(modeLabel('gateway')), remote_discovery_selector: null, federated_service_selector: null}
  const gatewayFields =
    link.mode === 'flat'
      ? {gateway_address: null, gateway_port: null, gateway_identity: null, probe_path: null, probe_port: null, probe_period: null}
      : {
          gateway_address: gateway?.address ?? null,
          gateway_port: gateway?.port ?? GATEWAY_PORT,
          gateway_identity: gateway?.identity ?? gatewayIdentity(trustDomainOf(spec, to)),
          probe_path: gateway?.probePath ?? PROBE_PATH,
          probe_port: gateway?.probePort ?? PROBE_PORT,
          probe_period: gateway?.probePeriod ?? PROBE_PERIOD,
        }
  const unknown = link.mode === 'gateway' && !gateway?.address ? ['gateway_address'] : []
  const install = spec.spec.linkerd.install === 'mcfed' ? [clusterAddress('linkerd_multicluster', from), clusterAddress('linkerd_multicluster', to)] : []
  // A flat link needs pod-to-pod reachability: the peering both ways (none in a shared VPC) and the target's rule.
  const reachability =
    link.mode === 'flat'
      ? [...(isSharedNetwork(spec) ? [] : [address('gcp_peering', `${from}-${to}`), address('gcp_peering', `${to}-${from}`)]), ...firewallsOf(spec, to)]
      : []
  const named = facts.clusters[from]?.credentials?.[name]?.named
  return {
    address: address('linkerd_link', `${from}/${name}`),
    kind: 'linkerd_link',
    name: `${from}/${name}`,
    cluster: from,
    attributes: {
      namespace: MULTICLUSTER_NAMESPACE,
      mode: link.mode,
      target_cluster: to,
      target_cluster_name: name,
      target_cluster_domain: 'cluster.local',
      target_linkerd_namespace: LINKERD_NAMESPACE,
      // The target's: what its identities (and its gateway's) are issued in.
      trust_domain: trustDomainOf(spec, to),
      credentials_secret: generationSecretName(name, generation),
      credentials_generation: generation,
      destination_copy: `generation ${generation}`,
      ...selectors,
      ...gatewayFields,
    },
    unknown,
    inputs: NO_INPUTS,
    dependsOn: [clusterAddress('gke_cluster', from), needs.credential, needs.access, ...install, ...reachability],
    replacedWith: [clusterAddress('gke_cluster', from)],
    ...(named !== undefined && named !== generation ? {reason: `moves to credential generation ${generation}`} : {}),
  }
}

function selector(label: {key: string; value: string}): string {
  return `${label.key}=${label.value}`
}

/** A cluster's peer firewall rules, computed once per spec (links to one cluster share them). */
const firewallCache = new WeakMap<FederationSpec, Map<string, string[]>>()
function firewallsOf(spec: FederationSpec, cluster: string): string[] {
  let byCluster = firewallCache.get(spec)
  if (!byCluster) {
    if (isSharedNetwork(spec)) {
      const rules = peerFirewallAddresses(spec, SHARED_NETWORK, clusterNames(spec))
      byCluster = new Map(clusterNames(spec).map((c) => [c, rules]))
    } else {
      const peers = peersOf(spec)
      byCluster = new Map([...peers.keys()].map((c) => [c, peerFirewallAddresses(spec, c, peers.get(c) ?? [])]))
    }
    firewallCache.set(spec, byCluster)
  }
  return byCluster.get(cluster) ?? []
}

/**
 * `linkerd_canary.<target>`: the canary Services a link target keeps, one per mode its links use,
 * so that `verify` can see a change travel through each link's service mirror.
 */
export function desiredCanary(spec: FederationSpec, target: string, modes: ReadonlySet<'flat' | 'gateway'>): DesiredResource {
  const install = spec.spec.linkerd.install === 'mcfed' ? [clusterAddress('linkerd_multicluster', target)] : []
  return {
    address: address('linkerd_canary', target),
    kind: 'linkerd_canary',
    name: target,
    cluster: target,
    attributes: {
      namespace: MULTICLUSTER_NAMESPACE,
      services: (['flat', 'gateway'] as const).filter((m) => modes.has(m)).map((m) => CANARY.services[m]),
    },
    unknown: NO_UNKNOWNS,
    inputs: NO_INPUTS,
    dependsOn: [clusterAddress('gke_cluster', target), ...install],
    replacedWith: [clusterAddress('gke_cluster', target)],
  }
}
