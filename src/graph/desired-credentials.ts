import {
  CREDENTIALS_FIELD_MANAGER,
  DESTINATION_DEPLOYMENT,
  LINKERD_NAMESPACE,
  MULTICLUSTER_NAMESPACE,
  boundSecretName,
  controllerServiceAccount,
  generationSecretName,
  remoteAccessName,
} from '../linkerd/names.js'
import type {FederationSpec} from '../spec/types.js'
import {formatDuration, parseDuration} from '../util/duration.js'
import type {ClusterFacts, CredentialFacts} from './facts.js'
import {NO_INPUTS, NO_UNKNOWNS, address, clusterAddress, type DesiredResource} from './resource.js'
import type {DerivedLink} from './topology.js'

/**
 * The generation a link runs on: the one its Link names while that one is usable; else the newest
 * usable one (an apply killed after issuing it left it unused); else a new one, numbered after
 * every generation found. A link never has no usable generation for longer than one apply.
 */
export function credentialGeneration(f: CredentialFacts | undefined): number {
  if (!f) return 1
  if (f.named !== undefined && f.named > 0 && f.usable.includes(f.named)) return f.named
  const usable = f.usable.filter((n) => n > 0)
  if (usable.length > 0) return Math.max(...usable)
  return f.highest + 1
}

/** Why a plan makes a new generation, in words; undefined when it keeps the one the Link names. */
export function renewalReason(f: CredentialFacts | undefined, generation: number): string | undefined {
  if (f?.named === generation) return undefined
  if (f?.named === undefined) return f && f.highest > 0 ? `the Link names none of its ${f.highest} generations` : undefined
  if (f.usable.includes(generation)) return `generation ${f.named} ${f.problem ?? 'is not usable'}; generation ${generation} was issued already`
  return `renews generation ${f.named}, whose credentials ${f.problem ?? 'are not usable'}`
}

/** `linkerd_link_credential.<consumer>/<link>/g<N>`. */
export function credentialAddress(link: Pick<DerivedLink, 'from' | 'name'>, generation: number): string {
  return address('linkerd_link_credential', `${link.from}/${link.name}/g${generation}`)
}

/** The asked validity as plans show it: a Go duration, never rounded to hours (`10m` stays `10m`). */
export function credentialValidity(spec: FederationSpec): string {
  const ms = parseDuration(spec.spec.linkerd.linkCredentials.validity)
  return ms === undefined ? spec.spec.linkerd.linkCredentials.validity : formatDuration(ms)
}

/**
 * One generation of a link's credentials: a token from the target's TokenRequest API for the
 * link's own ServiceAccount, bound to a Secret of its own on the target (deleting that Secret
 * revokes the token at once), kept in a Secret of its own in the consumer that the Link names.
 * `access` is the address of the link's remote access on the target, which it is issued for.
 */
export function desiredCredential(spec: FederationSpec, link: DerivedLink, generation: number, facts: ClusterFacts | undefined, target: ClusterFacts | undefined, access: string): DesiredResource {
  const unknown = ['expires', 'renew_at', 'credentials']
  if (!target?.apiServer) unknown.push('api_server')
  const install = spec.spec.linkerd.install === 'mcfed' ? [clusterAddress('linkerd_multicluster', link.from)] : []
  const reason = renewalReason(facts?.credentials?.[link.name], generation)
  return {
    address: credentialAddress(link, generation),
    kind: 'linkerd_link_credential',
    name: `${link.from}/${link.name}/g${generation}`,
    cluster: link.from,
    attributes: {
      namespace: MULTICLUSTER_NAMESPACE,
      link: link.name,
      target_cluster: link.to,
      generation,
      secret: generationSecretName(link.name, generation),
      bound_secret: boundSecretName(link.from, link.name, generation),
      service_account: remoteAccessName(link.from, link.name),
      readable_by: `${MULTICLUSTER_NAMESPACE}/${controllerServiceAccount(link.name)}`,
      api_server: target?.apiServer ?? null,
      validity: credentialValidity(spec),
      expires: null,
      renew_at: null,
      credentials: null,
    },
    unknown,
    inputs: NO_INPUTS,
    dependsOn: [clusterAddress('gke_cluster', link.from), access, ...install],
    replacedWith: [clusterAddress('gke_cluster', link.from)],
    ...(reason ? {reason} : {}),
  }
}

/** The generations a cluster's destination controller must have read, as its pod template says them: `east=2 north=1`. */
export function credentialsStamp(links: readonly {readonly name: string; readonly generation: number}[]): string {
  return [...links]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((l) => `${l.name}=${l.generation}`)
    .join(' ')
}

/**
 * `linkerd_destination_credentials.<cluster>`: the cluster's destination controller runs with the
 * credentials of every link it consumes. It reads their Secrets only when it starts, so a new
 * generation (or a rewritten copy) is read by restarting it: a change of the pod-template
 * annotation, rolled out as Kubernetes rolls any template change (new pods before old ones go, so
 * remote discovery has no gap). The old generations are revoked only after the rollout.
 */
export function desiredDestinationCredentials(spec: FederationSpec, cluster: string, links: readonly {readonly name: string; readonly generation: number; readonly address?: string}[]): DesiredResource {
  const controlPlane = spec.spec.linkerd.install === 'mcfed' ? [address('linkerd_control_plane', cluster)] : []
  return {
    address: address('linkerd_destination_credentials', cluster),
    kind: 'linkerd_destination_credentials',
    name: cluster,
    cluster,
    attributes: {
      namespace: LINKERD_NAMESPACE,
      deployment: DESTINATION_DEPLOYMENT,
      field_manager: CREDENTIALS_FIELD_MANAGER,
      credentials: credentialsStamp(links),
      rolled_out: true,
    },
    unknown: NO_UNKNOWNS,
    inputs: NO_INPUTS,
    dependsOn: [clusterAddress('gke_cluster', cluster), ...controlPlane, ...links.flatMap((l) => (l.address ? [l.address] : []))],
    replacedWith: [clusterAddress('gke_cluster', cluster)],
  }
}
