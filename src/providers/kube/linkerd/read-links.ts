import type {V1Secret} from '@kubernetes/client-node'

import {address, type Json, type ObservedResource} from '../../../graph/resource.js'
import {ANNOTATION, LABEL, LINKERD_NAMESPACE, MCFED_LABEL, MULTICLUSTER_NAMESPACE, REMOTE_KUBECONFIG_SECRET_TYPE, credentialsSecretName} from '../../../linkerd/names.js'
import type {FederationSpec} from '../../../spec/types.js'
import type {LinkObject} from '../client.js'
import {FEDERATION, MANAGED_BY} from '../labels.js'
import {secretValue} from '../secret-data.js'
import {heldGenerations, namedGeneration} from './read-credentials.js'

/** Labels mcfed adds to a Link so that the plan can name its target cluster and mode. */
export const LINK_TARGET_LABEL = MCFED_LABEL.linkTarget
export const LINK_MODE_LABEL = MCFED_LABEL.linkMode

/**
 * Maps a consuming cluster's Links to observed `linkerd_link`s: the Link, the credential generation
 * it names, and whether the destination controller's copy holds exactly that generation. A Link
 * mcfed does not own is still observed (unowned), so a spec that wants that name reports an
 * ownership conflict instead of overwriting someone else's Link.
 */
export function observeLinks(cluster: string, spec: FederationSpec, links: readonly LinkObject[], ownedSecrets: readonly V1Secret[]): ObservedResource[] {
  const held = heldGenerations(ownedSecrets, links)
  return links.map((link) => {
    const name = link.metadata?.name ?? ''
    const labels = link.metadata?.labels ?? {}
    const owned = labels[MANAGED_BY] === 'mcfed' && labels[FEDERATION] === spec.metadata.name
    const s = (link.spec ?? {}) as Record<string, unknown>
    const probe = (s.probeSpec ?? {}) as Record<string, unknown>
    const gateway = typeof s.gatewayAddress === 'string' && s.gatewayAddress !== ''
    const generation = namedGeneration(link) ?? null
    const named = held.find((g) => g.link === name && g.generation === generation)
    const copy = ownedSecrets.find((x) => x.metadata?.namespace === LINKERD_NAMESPACE && x.metadata?.name === credentialsSecretName(name))
    const addr = address('linkerd_link', `${cluster}/${name}`)
    const attributes: Record<string, Json> = {
      namespace: link.metadata?.namespace ?? MULTICLUSTER_NAMESPACE,
      mode: labels[LINK_MODE_LABEL] ?? (gateway ? 'gateway' : 'flat'),
      target_cluster: labels[LINK_TARGET_LABEL] ?? null,
      target_cluster_name: str(s.targetClusterName),
      target_cluster_domain: str(s.targetClusterDomain),
      target_linkerd_namespace: str(s.targetClusterLinkerdNamespace),
      trust_domain: copy?.metadata?.annotations?.[ANNOTATION.trustDomain] ?? null,
      credentials_secret: str(s.clusterCredentialsSecret),
      credentials_generation: generation,
      destination_copy: destinationCopy(copy, named?.secret, name),
      selector: selectorString(s.selector),
      remote_discovery_selector: selectorString(s.remoteDiscoverySelector),
      federated_service_selector: selectorString(s.federatedServiceSelector),
      gateway_address: gateway ? String(s.gatewayAddress) : null,
      gateway_port: str(s.gatewayPort),
      gateway_identity: str(s.gatewayIdentity),
      probe_path: str(probe.path),
      probe_port: str(probe.port),
      probe_period: str(probe.period),
    }
    const dependsOn = generation !== null && named ? [address('linkerd_link_credential', `${cluster}/${name}/g${generation}`)] : []
    return {address: addr, kind: 'linkerd_link', name: `${cluster}/${name}`, cluster, owned, attributes, dependsOn}
  })
}

/**
 * The destination controller's copy, as the plan compares it: `generation N` when it holds exactly
 * the kubeconfig of the generation the Link names, with the label and annotations the destination
 * controller needs (cluster_store.go skips a Secret without them); else what is wrong with it.
 */
function destinationCopy(copy: V1Secret | undefined, named: V1Secret | undefined, link: string): string {
  if (!copy) return 'missing'
  const ok =
    named !== undefined &&
    secretValue(copy, 'kubeconfig') === secretValue(named, 'kubeconfig') &&
    copy.type === REMOTE_KUBECONFIG_SECRET_TYPE &&
    copy.metadata?.labels?.[LABEL.credentialsClusterName] === link &&
    !!copy.metadata?.annotations?.[ANNOTATION.trustDomain] &&
    !!copy.metadata?.annotations?.[ANNOTATION.clusterDomain]
  return ok ? `generation ${named!.metadata?.labels?.[MCFED_LABEL.credentialGeneration] ?? 0}` : 'differs from the generation the Link names'
}

/** `k=v` (comma-joined, sorted) for matchLabels, Kubernetes' selector syntax for expressions; null for none. */
export function selectorString(selector: unknown): string | null {
  if (!selector || typeof selector !== 'object') return null
  const s = selector as {matchLabels?: Record<string, string>; matchExpressions?: {key: string; operator: string; values?: string[]}[]}
  const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`)
  for (const e of s.matchExpressions ?? []) {
    const op = e.operator
    parts.push(op === 'Exists' ? e.key : op === 'DoesNotExist' ? `!${e.key}` : `${e.key} ${op.toLowerCase()} (${(e.values ?? []).join(',')})`)
  }
  return parts.length > 0 ? parts.sort().join(',') : null
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null
}

