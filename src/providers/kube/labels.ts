import type {FederationSpec} from '../../spec/types.js'

/** Kubernetes ownership labels on every object mcfed creates; pruning matches on both. */
export const MANAGED_BY = 'app.kubernetes.io/managed-by'
export const FEDERATION = 'mcfed.io/federation'

export function ownerLabels(spec: FederationSpec): Record<string, string> {
  return {[MANAGED_BY]: 'mcfed', [FEDERATION]: spec.metadata.name}
}

export function ownerSelector(spec: FederationSpec): string {
  return `${MANAGED_BY}=mcfed,${FEDERATION}=${spec.metadata.name}`
}

/** The mode labels mcfed may set; a Service carries at most one of them for mcfed. */
export const MODE_LABEL_KEYS = ['mirror.linkerd.io/federated', 'mirror.linkerd.io/exported'] as const
