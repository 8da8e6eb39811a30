import {CURRENT_ALIAS, STORE_LABELS, issuerSecretId, tlsPayload, webhookSecretId} from '../../../gitops/secret-store.js'
import {WEBHOOK_TLS} from '../../../linkerd/names.js'
import type {SecretStore} from '../../secrets/secret-store.js'
import {FEDERATION} from '../labels.js'

/** Where GitOps mode keeps a cluster's certificates with keys: the store's secrets the tree's ExternalSecrets read. */
export interface CertificateStore {
  readonly open: () => Promise<SecretStore>
  readonly owner: Readonly<Record<string, string>>
}

export interface TlsPem {
  readonly cert: string
  readonly key: string
  readonly ca: string
}

function labels(owner: Readonly<Record<string, string>>, cluster: string, purpose: string): Record<string, string> {
  return {[STORE_LABELS.federation]: owner[FEDERATION]!, [STORE_LABELS.cluster]: cluster, [STORE_LABELS.purpose]: purpose}
}

/** The issuer as a new version of the cluster's issuer secret; the ExternalSecret follows `latest`, and Linkerd's identity reloads it. */
export async function storeIssuer(store: CertificateStore, cluster: string, issuer: TlsPem): Promise<void> {
  const id = issuerSecretId(store.owner[FEDERATION]!, cluster)
  await (await store.open()).put(id, labels(store.owner, cluster, 'issuer'), CURRENT_ALIAS, Buffer.from(JSON.stringify(tlsPayload(issuer))))
}

/**
 * The webhook CA and its three serving certificates as one version: the tree pins that version's
 * number with the CA bundle it renders into the control plane, so the two never disagree.
 */
export async function storeWebhooks(store: CertificateStore, cluster: string, bySecret: Readonly<Record<string, TlsPem>>): Promise<void> {
  const id = webhookSecretId(store.owner[FEDERATION]!, cluster)
  const payload = Object.fromEntries(WEBHOOK_TLS.map((w) => [w.secret, tlsPayload(bySecret[w.secret]!)]))
  await (await store.open()).put(id, labels(store.owner, cluster, 'webhooks'), CURRENT_ALIAS, Buffer.from(JSON.stringify(payload)))
}

/** Removes what the store holds of a cluster's issuer or webhooks. */
export async function dropCertificates(store: CertificateStore, cluster: string, what: 'issuer' | 'webhooks'): Promise<void> {
  const federation = store.owner[FEDERATION]!
  await (await store.open()).drop(what === 'issuer' ? issuerSecretId(federation, cluster) : webhookSecretId(federation, cluster), CURRENT_ALIAS)
}
