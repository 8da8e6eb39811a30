import {gkeCluster} from './gcp/cluster.js'
import {gcpFirewall} from './gcp/firewall.js'
import type {GcpKind} from './gcp/gcp-kind.js'
import {gcpNetwork} from './gcp/network.js'
import {gcpPeering} from './gcp/peering.js'
import {gcpSubnetwork} from './gcp/subnetwork.js'
import {linkerdControlPlane} from './kube/control-plane.js'
import {linkerdCrds} from './kube/crds.js'
import {linkerdIssuer} from './kube/issuer.js'
import type {KubeKind} from './kube/kube-kind.js'
import {linkerdAuthorization} from './kube/authorization.js'
import {linkerdCanary} from './kube/canary.js'
import {linkerdDestinationCredentials} from './kube/destination-credentials.js'
import {linkerdLink} from './kube/link.js'
import {linkerdLinkCredential} from './kube/link-credential.js'
import {linkerdMulticluster} from './kube/multicluster.js'
import {linkerdRemoteAccess} from './kube/remote-access.js'
import {serviceLabel} from './kube/service-label.js'
import {linkerdTrustAnchor} from './kube/trust-anchor.js'
import {linkerdTrustRotation} from './kube/trust-rotation.js'
import {linkerdWebhookTls} from './kube/webhook-tls.js'
import type {ResourceKind} from '../model/kinds.js'

/**
 * Every resource kind's reads and writes, one line each, in the catalog's order. A new kind is a
 * row in src/model/kinds.ts (what the core plans with), its file here and a line in this list.
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
  linkerdTrustRotation,
  linkerdRemoteAccess,
  linkerdLinkCredential,
  linkerdLink,
  linkerdDestinationCredentials,
  linkerdCanary,
  serviceLabel,
  linkerdAuthorization,
] as const

/** Fails to compile when a kind of the catalog has no implementation here. */
type Registered = (typeof KINDS)[number]['kind']
const EVERY_KIND_REGISTERED: [ResourceKind] extends [Registered] ? true : never = true
void EVERY_KIND_REGISTERED

export type AnyKind = GcpKind | KubeKind

const BY_NAME: ReadonlyMap<string, AnyKind> = new Map(KINDS.map((k) => [k.kind, k]))

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
