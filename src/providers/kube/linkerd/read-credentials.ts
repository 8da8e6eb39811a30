import type {V1RoleBinding, V1Secret} from '@kubernetes/client-node'

import type {CredentialFacts} from '../../../graph/facts.js'
import {address, type Json, type ObservedResource} from '../../../graph/resource.js'
import {validLinks} from '../../../graph/topology.js'
import {credentialValidity} from '../../../graph/desired-credentials.js'
import {CREDENTIAL_VALIDITY_ANNOTATION, MCFED_LABEL, MULTICLUSTER_NAMESPACE, REMOTE_KUBECONFIG_SECRET_TYPE, controllerServiceAccount, credentialReaderName, credentialsSecretName, generationSecretName} from '../../../linkerd/names.js'
import type {FederationSpec} from '../../../spec/types.js'
import {parseDuration} from '../../../util/duration.js'
import {serviceAccountTokenFacts, type ServiceAccountTokenFacts} from '../../../util/jwt.js'
import type {LinkObject} from '../client.js'
import type {ClusterListing} from '../listing.js'
import {secretValue} from '../secret-data.js'
import {kubeconfigCredentials} from './kubeconfig.js'

/** What a generation of a link's credentials says of itself (never the token). */
export interface GenerationFacts {
  readonly link: string
  readonly generation: number
  readonly server?: string
  readonly token?: ServiceAccountTokenFacts
  /** The validity it was asked for; undefined for credentials from before generations. */
  readonly validity?: string
}

/** One generation of a link's credentials as the consumer holds it. */
export interface HeldGeneration extends GenerationFacts {
  readonly secret: V1Secret
}

/**
 * What one cluster's lists tell about link credentials, as a consumer and as a target: all that
 * the facts spanning clusters need, kept once its lists are let go (a cluster in a mesh of 50
 * lists a megabyte of objects; this is a few hundred bytes per link).
 */
export interface ClusterCredentials {
  readonly server: string
  /** The generations it holds as a consumer. */
  readonly held: readonly GenerationFacts[]
  /** The bound Secrets it holds as a target. */
  readonly bound: readonly BoundSecret[]
  /** Its link ServiceAccounts' uids, by name. */
  readonly accounts: ReadonlyMap<string, string | undefined>
  /** The generation each Link names, by Link name. */
  readonly named: ReadonlyMap<string, number | undefined>
}

export function clusterCredentials(listing: Pick<ClusterListing, 'client' | 'ownedSecrets' | 'links' | 'remoteAccess'>): ClusterCredentials {
  return {
    server: listing.client.endpoint().server,
    held: heldGenerations(listing.ownedSecrets, listing.links).map(({secret: _, ...facts}) => facts),
    bound: boundSecrets(listing.ownedSecrets),
    accounts: new Map(listing.remoteAccess.accounts.map((a) => [a.metadata?.name ?? '', a.metadata?.uid])),
    named: new Map((listing.links ?? []).map((l) => [l.metadata?.name ?? '', namedGeneration(l)])),
  }
}

/** Every read cluster's credentials, by cluster. */
export type CredentialsByCluster = ReadonlyMap<string, ClusterCredentials>

/**
 * The generations a consumer holds, from mcfed's Secrets in the multicluster namespace (0: from
 * before generations). The Link, the credential and the facts spanning clusters all read them:
 * each listing's are made once (a kubeconfig parsed, a token decoded), and go with the listing.
 */
export function heldGenerations(ownedSecrets: readonly V1Secret[], links: readonly LinkObject[] | undefined): readonly HeldGeneration[] {
  const byLinks = heldByListing.get(ownedSecrets) ?? new WeakMap<object, readonly HeldGeneration[]>()
  heldByListing.set(ownedSecrets, byLinks)
  const known = byLinks.get(links ?? NO_LINKS)
  if (known) return known
  const held = readHeldGenerations(ownedSecrets, links)
  byLinks.set(links ?? NO_LINKS, held)
  return held
}

const heldByListing = new WeakMap<readonly V1Secret[], WeakMap<object, readonly HeldGeneration[]>>()
const NO_LINKS = {}

function readHeldGenerations(ownedSecrets: readonly V1Secret[], links: readonly LinkObject[] | undefined): HeldGeneration[] {
  const out: HeldGeneration[] = []
  for (const s of ownedSecrets) {
    // A consumer's generations hold a kubeconfig; the Opaque Secrets tokens are bound to live on targets.
    if (s.metadata?.namespace !== MULTICLUSTER_NAMESPACE || s.type !== REMOTE_KUBECONFIG_SECRET_TYPE) continue
    const labels = s.metadata.labels ?? {}
    const name = s.metadata.name ?? ''
    const numbered = labels[MCFED_LABEL.credentialGeneration]
    const link = numbered !== undefined ? labels[MCFED_LABEL.link] : legacyLink(name, links)
    if (!link) continue
    const kubeconfig = secretValue(s, 'kubeconfig')
    const creds = kubeconfig ? kubeconfigCredentials(kubeconfig) : undefined
    out.push({
      link,
      generation: numbered !== undefined ? Number(numbered) : 0,
      secret: s,
      ...(creds?.server ? {server: creds.server} : {}),
      ...(creds?.token ? {token: serviceAccountTokenFacts(creds.token)} : {}),
      ...(s.metadata.annotations?.[CREDENTIAL_VALIDITY_ANNOTATION] ? {validity: s.metadata.annotations[CREDENTIAL_VALIDITY_ANNOTATION]} : {}),
    })
  }
  return out
}

/** Before generations the consumer's copy was `cluster-credentials-<link>`, named by a Link of that name. */
function legacyLink(secretName: string, links: readonly LinkObject[] | undefined): string | undefined {
  return links?.find((l) => credentialsSecretName(l.metadata?.name ?? '') === secretName)?.metadata?.name
}

/** The generation a Link names: N for `cluster-credentials-<link>-gN`, 0 for the name from before generations. */
export function namedGeneration(link: LinkObject): number | undefined {
  const name = link.metadata?.name ?? ''
  const secret = (link.spec as {clusterCredentialsSecret?: string} | undefined)?.clusterCredentialsSecret
  if (!secret) return undefined
  if (secret === credentialsSecretName(name)) return 0
  const m = /-g(\d+)$/.exec(secret)
  return m && secret === generationSecretName(name, Number(m[1])) ? Number(m[1]) : undefined
}

/** A generation's bound Secret on the target, by the labels mcfed gave it. */
export interface BoundSecret {
  readonly consumer: string
  readonly link: string
  readonly generation: number
  readonly name: string
  readonly uid?: string
}

function boundSecrets(ownedSecrets: readonly V1Secret[]): BoundSecret[] {
  return ownedSecrets.flatMap((s) => {
    const l = s.metadata?.labels ?? {}
    const consumer = l[MCFED_LABEL.linkConsumer]
    const link = l[MCFED_LABEL.link]
    const generation = l[MCFED_LABEL.credentialGeneration]
    if (s.metadata?.namespace !== MULTICLUSTER_NAMESPACE || s.type === REMOTE_KUBECONFIG_SECRET_TYPE || !consumer || !link || generation === undefined) return []
    return [{consumer, link, generation: Number(generation), name: s.metadata.name ?? '', uid: s.metadata.uid}]
  })
}

/**
 * Observed `linkerd_link_credential`s of a consumer: one per generation it holds, with what its
 * token says of itself (never the token).
 */
export function observeCredentials(cluster: string, spec: FederationSpec, listing: Pick<ClusterListing, 'ownedSecrets' | 'links' | 'credentialReaders'>): ObservedResource[] {
  const renewBefore = parseDuration(spec.spec.linkerd.linkCredentials.renewBefore) ?? 0
  const targets = new Map(validLinks(spec).filter((l) => l.from === cluster).map((l) => [l.name, l.to]))
  return heldGenerations(listing.ownedSecrets, listing.links).map((g) => {
    const expires = g.token?.expires ?? null
    const attributes: Record<string, Json> = {
      namespace: MULTICLUSTER_NAMESPACE,
      link: g.link,
      target_cluster: g.secret.metadata?.labels?.[MCFED_LABEL.linkTarget] ?? targets.get(g.link) ?? null,
      generation: g.generation,
      secret: g.secret.metadata?.name ?? '',
      bound_secret: g.token?.boundSecret?.name ?? null,
      service_account: g.token?.serviceAccount ?? null,
      readable_by: readerOf(listing.credentialReaders, g),
      api_server: g.server ?? null,
      validity: g.validity ?? null,
      expires,
      renew_at: expires ? new Date(Date.parse(expires) - renewBefore).toISOString() : null,
      credentials: g.token ? 'present' : null,
    }
    return {address: address('linkerd_link_credential', `${cluster}/${g.link}/g${g.generation}`), kind: 'linkerd_link_credential', name: `${cluster}/${g.link}/g${g.generation}`, cluster, owned: true, attributes}
  })
}

/** Who may read a generation's Secret through mcfed's grant: `namespace/serviceaccount`, or null without one. */
function readerOf(bindings: readonly V1RoleBinding[], g: HeldGeneration): string | null {
  if (g.generation === 0) return `${MULTICLUSTER_NAMESPACE}/${controllerServiceAccount(g.link)}`
  const name = credentialReaderName(g.link, g.generation)
  const b = bindings.find((x) => x.metadata?.name === name)
  const subject = b?.roleRef?.kind === 'Role' && b.roleRef.name === name ? b.subjects?.[0] : undefined
  return subject?.kind === 'ServiceAccount' ? `${subject.namespace}/${subject.name}` : null
}

/**
 * Bound Secrets on a target whose generation the consumer no longer holds (an apply killed after
 * issuing one, or a consumer Secret deleted by hand): observed too, so the plan revokes them. Only
 * where the consumer was read: an unreachable one may hold it.
 */
export function orphanedGenerations(observed: readonly ObservedResource[], fleet: CredentialsByCluster): ObservedResource[] {
  const known = new Set(observed.map((r) => r.address))
  const out: ObservedResource[] = []
  for (const [target, credentials] of fleet) {
    for (const b of credentials.bound) {
      const addr = address('linkerd_link_credential', `${b.consumer}/${b.link}/g${b.generation}`)
      // A consumer that was not read (unreachable) may well hold the generation: nothing is known against it.
      if (known.has(addr) || !fleet.has(b.consumer)) continue
      known.add(addr)
      out.push({
        address: addr,
        kind: 'linkerd_link_credential',
        name: `${b.consumer}/${b.link}/g${b.generation}`,
        cluster: b.consumer,
        owned: true,
        attributes: {namespace: MULTICLUSTER_NAMESPACE, link: b.link, target_cluster: target, generation: b.generation, secret: generationSecretName(b.link, b.generation), bound_secret: b.name, service_account: null, readable_by: null, api_server: null, validity: null, expires: null, renew_at: null, credentials: null},
      })
    }
  }
  return out
}

/**
 * What each consumer's links tell the desired graph about their credentials: which generation the
 * Link names, which generations still work and are not due, and the highest number used. A target
 * that was not read says nothing against a generation (its bound Secret is then taken as present).
 */
export function credentialFacts(spec: FederationSpec, fleet: CredentialsByCluster, now = Date.now()): Record<string, Record<string, CredentialFacts>> {
  const renewBefore = parseDuration(spec.spec.linkerd.linkCredentials.renewBefore) ?? 0
  const validity = credentialValidity(spec)
  const out: Record<string, Record<string, CredentialFacts>> = {}
  // A consumer's generations and a target's bound Secrets by link, once: a cluster in a mesh of 50 has 49 of each.
  const heldBy = byLink(fleet, (c) => c.held.map((g) => [g.link, g]))
  const boundBy = byLink(fleet, (c) => c.bound.map((b) => [`${b.consumer}/${b.link}`, b]))
  for (const link of validLinks(spec)) {
    const consumer = fleet.get(link.from)
    if (!consumer) continue
    const target = fleet.get(link.to)
    const held = heldBy.get(link.from)?.get(link.name) ?? []
    const onTarget = boundBy.get(link.to)?.get(`${link.from}/${link.name}`) ?? []
    const problem = (g: GenerationFacts): string | undefined => {
      if (g.generation === 0) return 'are from before generations: rewritten in place, which Linkerd\'s controllers never read'
      if (!g.token?.expires) return 'hold no readable ServiceAccount token'
      const left = Date.parse(g.token.expires) - now
      if (left <= 0) return `expired ${g.token.expires}`
      if (left < renewBefore) return `expire ${g.token.expires}, within renewBefore`
      if (g.validity !== validity) return `were asked for ${g.validity ?? 'an unknown validity'}; the spec asks ${validity}`
      if (!target) return undefined
      const b = onTarget.find((x) => x.generation === g.generation)
      if (!b || (g.token.boundSecret?.uid && b.uid !== g.token.boundSecret.uid)) return `were revoked: the Secret their token is bound to is gone from ${link.to}`
      const account = g.token.serviceAccount ?? ''
      if (!target.accounts.has(account)) return `were issued for ServiceAccount ${MULTICLUSTER_NAMESPACE}/${g.token.serviceAccount} in ${link.to}, which no longer exists`
      if (g.token.serviceAccountUid && target.accounts.get(account) !== g.token.serviceAccountUid) return `were issued for ServiceAccount ${MULTICLUSTER_NAMESPACE}/${g.token.serviceAccount} in ${link.to}, which was recreated since`
      if (g.server !== target.server) return `name API server ${g.server ?? 'none'}; ${link.to}'s is ${target.server}`
      return undefined
    }
    const named = consumer.named.get(link.name)
    const namedHeld = held.find((g) => g.generation === named)
    const namedProblem = named === undefined ? undefined : namedHeld ? problem(namedHeld) : `are missing: no Secret ${MULTICLUSTER_NAMESPACE}/${named === 0 ? credentialsSecretName(link.name) : generationSecretName(link.name, named)}`
    const facts: CredentialFacts = {
      ...(named !== undefined ? {named} : {}),
      usable: held.filter((g) => problem(g) === undefined).map((g) => g.generation),
      highest: Math.max(0, ...held.map((g) => g.generation), ...onTarget.map((b) => b.generation)),
      ...(namedProblem ? {problem: namedProblem} : {}),
    }
    ;(out[link.from] ??= {})[link.name] = facts
  }
  return out
}

/** Each cluster's items grouped by a key (a link, or a consumer's link). */
function byLink<T>(fleet: CredentialsByCluster, entries: (c: ClusterCredentials) => (readonly [string, T])[]): Map<string, Map<string, T[]>> {
  const out = new Map<string, Map<string, T[]>>()
  for (const [cluster, credentials] of fleet) {
    const groups = new Map<string, T[]>()
    for (const [key, item] of entries(credentials)) {
      const group = groups.get(key)
      if (group) group.push(item)
      else groups.set(key, [item])
    }
    out.set(cluster, groups)
  }
  return out
}
