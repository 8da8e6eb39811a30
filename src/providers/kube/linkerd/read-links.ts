import type {V1Secret} from '@kubernetes/client-node'

import {address, type Json, type ObservedResource} from '../../../graph/resource.js'
import {ANNOTATION, LABEL, LINKERD_NAMESPACE, MULTICLUSTER_NAMESPACE} from '../../../linkerd/names.js'
import type {FederationSpec} from '../../../spec/types.js'
import {parseDuration} from '../../../util/duration.js'
import {serviceAccountTokenFacts} from '../../../util/jwt.js'
import type {LinkObject} from '../client.js'
import {FEDERATION, MANAGED_BY} from '../labels.js'
import {secretValue} from '../secret-data.js'
import {kubeconfigCredentials} from './kubeconfig.js'

/** Which ServiceAccount on which cluster a Link's token was issued for; checked once every cluster is read. */
export interface TokenBinding {
  readonly address: string
  readonly target: string
  readonly serviceAccount: string
  readonly uid: string
}

export interface ObservedLinks {
  readonly resources: ObservedResource[]
  readonly bindings: TokenBinding[]
}

/** Labels mcfed adds to a Link so that the plan can name its target cluster and mode. */
export const LINK_TARGET_LABEL = 'mcfed.io/link-target'
export const LINK_MODE_LABEL = 'mcfed.io/link-mode'

/**
 * Maps a consuming cluster's Links and their credentials Secrets to observed `linkerd_link`s.
 * A Link mcfed does not own is still observed (unowned), so a spec that wants that name reports
 * an ownership conflict instead of overwriting someone else's Link.
 */
export function observeLinks(cluster: string, spec: FederationSpec, links: readonly LinkObject[], ownedSecrets: readonly V1Secret[], now = Date.now()): ObservedLinks {
  const resources: ObservedResource[] = []
  const bindings: TokenBinding[] = []
  const secret = (namespace: string, name: string) => ownedSecrets.find((s) => s.metadata?.namespace === namespace && s.metadata?.name === name)
  const renewBefore = parseDuration(spec.spec.linkerd.linkCredentials.renewBefore) ?? 0
  for (const link of links) {
    const name = link.metadata?.name ?? ''
    const labels = link.metadata?.labels ?? {}
    const owned = labels[MANAGED_BY] === 'mcfed' && labels[FEDERATION] === spec.metadata.name
    const s = (link.spec ?? {}) as Record<string, unknown>
    const probe = (s.probeSpec ?? {}) as Record<string, unknown>
    const gateway = typeof s.gatewayAddress === 'string' && s.gatewayAddress !== ''
    const credentialsSecret = str(s.clusterCredentialsSecret)
    const own = credentialsSecret ? secret(MULTICLUSTER_NAMESPACE, credentialsSecret) : undefined
    const copy = credentialsSecret ? secret(LINKERD_NAMESPACE, credentialsSecret) : undefined
    const kubeconfig = secretValue(own, 'kubeconfig')
    const creds = kubeconfig ? kubeconfigCredentials(kubeconfig) : undefined
    const token = creds?.token ? serviceAccountTokenFacts(creds.token) : undefined
    const addr = address('linkerd_link', `${cluster}/${name}`)
    const problem = credentialsProblem({credentialsSecret, own, copy, kubeconfig, token, targetName: str(s.targetClusterName), renewBefore, now})
    if (token?.serviceAccount && token.serviceAccountUid && labels[LINK_TARGET_LABEL]) {
      bindings.push({address: addr, target: labels[LINK_TARGET_LABEL]!, serviceAccount: token.serviceAccount, uid: token.serviceAccountUid})
    }
    const attributes: Record<string, Json> = {
      namespace: link.metadata?.namespace ?? MULTICLUSTER_NAMESPACE,
      mode: labels[LINK_MODE_LABEL] ?? (gateway ? 'gateway' : 'flat'),
      target_cluster: labels[LINK_TARGET_LABEL] ?? null,
      target_cluster_name: str(s.targetClusterName),
      target_cluster_domain: str(s.targetClusterDomain),
      target_linkerd_namespace: str(s.targetClusterLinkerdNamespace),
      trust_domain: copy?.metadata?.annotations?.[ANNOTATION.trustDomain] ?? null,
      credentials_secret: credentialsSecret,
      remote_access: token?.serviceAccount ?? null,
      api_server: creds?.server ?? null,
      credentials: creds?.token ? 'present' : null,
      credentials_expire: token?.expires ?? null,
      credentials_valid: problem === undefined,
      ...(problem ? {credentials_problem: problem} : {}),
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
    resources.push({address: addr, kind: 'linkerd_link', name: `${cluster}/${name}`, cluster, owned, attributes})
  }
  return {resources, bindings}
}

function credentialsProblem(o: {
  credentialsSecret: string | null
  own: V1Secret | undefined
  copy: V1Secret | undefined
  kubeconfig: string | undefined
  token: ReturnType<typeof serviceAccountTokenFacts>
  targetName: string | null
  renewBefore: number
  now: number
}): string | undefined {
  if (!o.credentialsSecret) return 'are not named by the Link (no clusterCredentialsSecret)'
  if (!o.own || !o.kubeconfig) return `are missing: no Secret ${MULTICLUSTER_NAMESPACE}/${o.credentialsSecret} with a kubeconfig`
  if (!o.token?.expires) return 'hold no readable ServiceAccount token'
  const copy = o.copy
  if (
    !copy ||
    secretValue(copy, 'kubeconfig') !== o.kubeconfig ||
    copy.metadata?.labels?.[LABEL.credentialsClusterName] !== o.targetName ||
    !copy.metadata?.annotations?.[ANNOTATION.trustDomain] ||
    !copy.metadata?.annotations?.[ANNOTATION.clusterDomain]
  ) {
    return `are missing or differ in the destination controller's copy (${LINKERD_NAMESPACE}/${o.credentialsSecret})`
  }
  const left = Date.parse(o.token.expires) - o.now
  if (left <= 0) return `expired ${o.token.expires}`
  if (left < o.renewBefore) return `expire ${o.token.expires}, within renewBefore`
  return undefined
}

/** A Link's token whose ServiceAccount was deleted (or recreated) on the target no longer authenticates. */
export function markRevokedCredentials(resources: readonly ObservedResource[], bindings: readonly TokenBinding[], liveUid: (target: string, serviceAccount: string) => string | undefined | null): ObservedResource[] {
  const revoked = new Map<string, string>()
  for (const b of bindings) {
    const uid = liveUid(b.target, b.serviceAccount)
    // null: the target was not read (unreachable); nothing can be said.
    if (uid === null || uid === b.uid) continue
    revoked.set(b.address, `were issued for ServiceAccount ${MULTICLUSTER_NAMESPACE}/${b.serviceAccount} in ${b.target}, which ${uid === undefined ? 'no longer exists' : 'was recreated since'}: they are revoked`)
  }
  return resources.map((r) => {
    const problem = revoked.get(r.address)
    return problem && r.attributes.credentials_valid === true ? {...r, attributes: {...r.attributes, credentials_valid: false, credentials_problem: problem}} : r
  })
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

/** The matchLabels selector for a `k=v` string mcfed wrote. */
export function selectorObject(selector: string): {matchLabels: Record<string, string>} {
  return {matchLabels: Object.fromEntries(selector.split(',').map((kv) => kv.split('=') as [string, string]))}
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null
}

