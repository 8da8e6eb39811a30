import type {ResourceKind} from '../graph/resource.js'

/**
 * The directories of a cluster's tree, in the order an engine applies them: Linkerd's CRDs, then
 * the control plane, then the multicluster extension (and what link targets serve), then the
 * Links and their credentials, then the services' labels and policies. mcfed's apply order.
 */
export const LAYERS = ['crds', 'control-plane', 'multicluster', 'links', 'services'] as const
export type Layer = (typeof LAYERS)[number]

const LAYER_OF: Partial<Record<ResourceKind, Layer>> = {
  linkerd_crds: 'crds',
  linkerd_trust_anchor: 'control-plane',
  linkerd_issuer: 'control-plane',
  linkerd_webhook_tls: 'control-plane',
  linkerd_control_plane: 'control-plane',
  linkerd_multicluster: 'multicluster',
  linkerd_canary: 'multicluster',
  linkerd_remote_access: 'multicluster',
  linkerd_link: 'links',
  linkerd_link_credential: 'links',
  service_label: 'services',
  linkerd_authorization: 'services',
}

/**
 * Where a kind's objects go; undefined for kinds that are not the tree's to hold: GCP, records of
 * mcfed's own runs, and the destination controller's restart after new credentials (a stamp on a
 * Deployment the installer owns: applied as a partial object under the installer's own field
 * manager it would strip the Deployment; it belongs with the credentials layer).
 */
export function layerOf(kind: ResourceKind): Layer | undefined {
  return LAYER_OF[kind]
}

/** Argo CD's sync wave of a layer: its index. */
export function syncWave(layer: Layer): number {
  return LAYERS.indexOf(layer)
}
