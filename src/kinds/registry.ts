import {gkeCluster} from './gcp/cluster.js'
import {gcpFirewall} from './gcp/firewall.js'
import type {GcpKind} from './gcp/gcp-kind.js'
import {gcpNetwork} from './gcp/network.js'
import {gcpPeering} from './gcp/peering.js'
import {gcpSubnetwork} from './gcp/subnetwork.js'
import type {KindSchema, Layer} from './kind.js'
import {linkerdControlPlane} from './kube/control-plane.js'
import {linkerdCrds} from './kube/crds.js'
import {linkerdIssuer} from './kube/issuer.js'
import type {KubeKind} from './kube/kube-kind.js'
import {linkerdCanary} from './kube/canary.js'
import {linkerdDestinationCredentials} from './kube/destination-credentials.js'
import {linkerdLink} from './kube/link.js'
import {linkerdLinkCredential} from './kube/link-credential.js'
import {linkerdMulticluster} from './kube/multicluster.js'
import {linkerdRemoteAccess} from './kube/remote-access.js'
import {serviceLabel} from './kube/service-label.js'
import {linkerdTrustAnchor} from './kube/trust-anchor.js'
import {linkerdWebhookTls} from './kube/webhook-tls.js'

/**
 * Every resource kind mcfed manages, one line each. The kind names, the layers, each provider's
 * kinds and `--layer` are derived from this list; a new kind is its file and a line here.
 */
export const KINDS = [
  gcpNetwork,
  gcpSubnetwork,
  gcpPeering,
  gcpFirewall,
  gkeCluster,
  linkerdCrds,
  linkerdWebhookTls,
  linkerdTrustAnchor,
  linkerdIssuer,
  linkerdControlPlane,
  linkerdMulticluster,
  linkerdRemoteAccess,
  linkerdLinkCredential,
  linkerdLink,
  linkerdDestinationCredentials,
  linkerdCanary,
  serviceLabel,
] as const

export type ResourceKind = (typeof KINDS)[number]['kind']
export type AnyKind = GcpKind | KubeKind

export const RESOURCE_KINDS: readonly ResourceKind[] = KINDS.map((k) => k.kind)

const BY_NAME: ReadonlyMap<string, AnyKind> = new Map(KINDS.map((k) => [k.kind, k]))

/** The layers, in the order plans and `--layer` list them. */
export const LAYERS: readonly Layer[] = [...new Set(KINDS.map((k) => k.schema.layer))]

export function kindSchema(kind: ResourceKind): KindSchema {
  return kindOf(kind).schema
}

export function kindOf(kind: string): AnyKind {
  const found = BY_NAME.get(kind)
  if (!found) throw new Error(`no resource kind ${kind}`)
  return found
}

export function gcpKinds(): GcpKind[] {
  return KINDS.filter((k): k is (typeof KINDS)[number] & GcpKind => k.schema.layer === 'gcp')
}

export function kubeKinds(): KubeKind[] {
  return KINDS.filter((k): k is (typeof KINDS)[number] & KubeKind => k.schema.layer === 'kube')
}

/** The GCP kind of that name; undefined for a kind of another layer. */
export function gcpKindOf(kind: string): GcpKind | undefined {
  const k = BY_NAME.get(kind)
  return k?.schema.layer === 'gcp' ? (k as GcpKind) : undefined
}

/** The Kubernetes kind of that name; undefined for a kind of another layer. */
export function kubeKindOf(kind: string): KubeKind | undefined {
  const k = BY_NAME.get(kind)
  return k?.schema.layer === 'kube' ? (k as KubeKind) : undefined
}
