import {modeLabel} from '../../graph/topology.js'
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

/** The mode label keys mcfed may set (from the one place that maps modes to labels). */
export const MODE_LABEL_KEYS: readonly string[] = [...new Set((['federated', 'flat', 'gateway'] as const).map((m) => modeLabel(m).key))]
