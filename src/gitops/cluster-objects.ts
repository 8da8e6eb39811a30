import type {DesiredResource, Json} from '../graph/resource.js'
import type {Component, KubeObject} from '../linkerd/install/manifests.js'
import {CANARY, ISSUER_SECRET, LINKERD_NAMESPACE, REMOTE_KUBECONFIG_SECRET_TYPE, TRUST_ROOTS_CONFIG_MAP, TRUST_ROOTS_KEY, WEBHOOK_TLS} from '../linkerd/names.js'
import {canaryService} from '../linkerd/objects/canary.js'
import {credentialReaderObjects, credentialSecretMetadata} from '../linkerd/objects/credential.js'
import {destinationCopyMetadata, linkObject, plannedGateway} from '../linkerd/objects/link.js'
import {remoteAccessObjects} from '../linkerd/objects/remote-access.js'
import {serviceLabelPatch} from '../linkerd/objects/service-label.js'
import {policyObjects} from '../linkerd/policy.js'
import {externalSecret} from './external-secret.js'
import {generationAlias, issuerSecretId, linkCredentialSecretId, TLS_PROPERTIES, webhookSecretId} from './secret-store.js'

export interface ClusterObjectsContext {
  readonly federation: string
  readonly owner: Readonly<Record<string, string>>
  /** The ClusterSecretStore ExternalSecrets read. */
  readonly store: string
  /** The PEM of each trust anchor by fingerprint: what a trust-roots ConfigMap holds. */
  readonly anchorPem: (fingerprint: string) => string | undefined
  /** `install: mcfed`: what Linkerd's CLI rendered for a cluster, and the store version of its webhook certificates. */
  readonly components?: (cluster: string) => ClusterComponents
}

/** A cluster's Linkerd components as rendered for its tree; a component that could not be rendered says why. */
export interface ClusterComponents {
  readonly rendered: Readonly<Partial<Record<Component, readonly KubeObject[]>>>
  readonly notRendered: Readonly<Partial<Record<Component, string>>>
  /** The values each rendered component was given (public: certificates without keys). */
  readonly values: Readonly<Partial<Record<Component, Readonly<Record<string, unknown>>>>>
  /** The store's version of the webhook certificates the control plane's CA bundle came from. */
  readonly webhookVersion?: number
}

const COMPONENT_OF: Readonly<Partial<Record<string, Component>>> = {linkerd_crds: 'crds', linkerd_control_plane: 'control-plane', linkerd_multicluster: 'multicluster'}

/** What one desired resource is in a cluster's tree: its objects, or why it cannot be rendered yet. */
export type RenderedResource = {readonly objects: readonly KubeObject[]; readonly partial?: readonly KubeObject[]} | {readonly skipped: string}

type Attributes = {readonly [k: string]: Json}

/**
 * A desired resource as the objects that realise it in its cluster, never with key material: a
 * Secret that would hold a token or key is an ExternalSecret naming the store's secret instead.
 * Objects that only set fields of something someone else owns (a Service's mode label) come back
 * as `partial`: applied server-side, never pruned with the tree.
 */
export function clusterObjects(r: DesiredResource, ctx: ClusterObjectsContext): RenderedResource {
  const a = r.attributes as Attributes
  switch (r.kind) {
    case 'service_label':
      return {objects: [], partial: [serviceLabelPatch(String(a.namespace), String(a.service), {key: String(a.label_key), value: String(a.label_value)})]}
    case 'linkerd_link': {
      const gateway = plannedGateway(a)
      if (a.mode === 'gateway' && !gateway) return {skipped: `the gateway of ${String(a.target_cluster)} has no address yet: render again once the engine has synced its multicluster extension`}
      const copy = destinationCopyMetadata(a, ctx.owner)
      return {
        objects: [
          linkObject(a, ctx.owner, gateway),
          externalSecret({
            ...copy,
            type: REMOTE_KUBECONFIG_SECRET_TYPE,
            store: ctx.store,
            data: {kubeconfig: {key: linkCredentialSecretId(ctx.federation, r.cluster, String(a.target_cluster_name)), version: generationAlias(Number(a.credentials_generation))}},
          }),
        ],
      }
    }
    case 'linkerd_link_credential': {
      const metadata = credentialSecretMetadata(a, r.cluster, ctx.owner)
      return {
        objects: [
          ...credentialReaderObjects(a, r.cluster, ctx.owner),
          externalSecret({
            ...metadata,
            type: REMOTE_KUBECONFIG_SECRET_TYPE,
            store: ctx.store,
            data: {kubeconfig: {key: linkCredentialSecretId(ctx.federation, r.cluster, String(a.link)), version: generationAlias(Number(a.generation))}},
          }),
        ],
      }
    }
    case 'linkerd_remote_access':
      return {objects: remoteAccessObjects(a, ctx.owner)}
    case 'linkerd_canary':
      return {objects: ((a.services ?? []) as string[]).map((name) => canaryService(name === CANARY.services.gateway ? 'gateway' : 'flat', ctx.owner))}
    case 'linkerd_authorization':
      return {objects: policyObjects(a, ctx.owner)}
    case 'linkerd_trust_anchor': {
      const fingerprints = (a.anchor_fingerprints ?? []) as string[]
      const pems = fingerprints.map((fp) => ctx.anchorPem(fp))
      if (fingerprints.length === 0 || pems.some((p) => p === undefined)) return {skipped: 'the trust anchor certificate cannot be read: run `mcfed certs init`, or point certFile at it'}
      return {objects: [{apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: TRUST_ROOTS_CONFIG_MAP, namespace: LINKERD_NAMESPACE, labels: {...ctx.owner}}, data: {[TRUST_ROOTS_KEY]: pems.join('')}}]}
    }
    case 'linkerd_crds':
    case 'linkerd_control_plane':
    case 'linkerd_multicluster': {
      const component = COMPONENT_OF[r.kind]!
      const components = ctx.components?.(r.cluster)
      const objects = components?.rendered[component]
      if (!objects) return {skipped: components?.notRendered[component] ?? 'Linkerd\'s CLI did not render it'}
      // Never key material in Git: a render with a Secret that carries data stays out of the tree whole.
      // (The extension's ServiceAccount token Secret carries none: the cluster's token controller fills it.)
      const secret = objects.find((o) => o.kind === 'Secret' && (o.data !== undefined || o.stringData !== undefined))
      if (secret) return {skipped: `Linkerd's render holds data in Secret ${secret.metadata.namespace}/${secret.metadata.name}, which may only come from the secret store; this release of the CLI may not honour the values that keep it out`}
      return {objects}
    }
    case 'linkerd_webhook_tls': {
      const version = ctx.components?.(r.cluster).webhookVersion
      if (version === undefined) return {skipped: 'the secret store holds no webhook certificates for it: run `mcfed apply --layer credentials`, then render without --offline'}
      // Pinned to the version whose CA the control plane's render carries: the two change together, in one commit.
      return {
        objects: WEBHOOK_TLS.map((w) =>
          externalSecret({
            name: w.secret,
            namespace: LINKERD_NAMESPACE,
            type: 'kubernetes.io/tls',
            labels: ctx.owner,
            store: ctx.store,
            data: tlsData(webhookSecretId(ctx.federation, r.cluster), String(version), w.secret),
          }),
        ),
      }
    }
    case 'linkerd_issuer':
      // kubernetes.io/tls with ca.crt: the scheme Linkerd reads when the issuer is managed outside its chart.
      return {
        objects: [
          externalSecret({
            name: ISSUER_SECRET,
            namespace: LINKERD_NAMESPACE,
            type: 'kubernetes.io/tls',
            labels: ctx.owner,
            store: ctx.store,
            // Followed (not pinned): Linkerd's identity reloads a renewed issuer, and its trust roots do not change with it.
            refreshInterval: '1h',
            data: tlsData(issuerSecretId(ctx.federation, r.cluster), 'latest'),
          }),
        ],
      }
    default:
      return {skipped: `${r.kind} is not rendered into GitOps trees by this build`}
  }
}

/** The three keys of a kubernetes.io/tls Secret from a store secret's JSON (under `within`, when it holds several). */
function tlsData(key: string, version: string, within?: string) {
  return Object.fromEntries(Object.entries(TLS_PROPERTIES).map(([secretKey, property]) => [secretKey, {key, version, property: within ? `${within}.${property}` : property}]))
}
