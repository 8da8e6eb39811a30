import {modeLabel} from '../../graph/topology.js'
import type {FederationSpec} from '../../spec/types.js'

/** Kubernetes ownership labels on every object mcfed creates; pruning matches on both. */
export const MANAGED_BY = 'app.kubernetes.io/managed-by'
export const FEDERATION = 'mcfed.io/federation'

export function ownerLabels(spec: FederationSpec): Record<string, string> {
  return {[MANAGED_BY]: 'mcfed', [FEDERATION]: spec.metadata.name}
}

export function ownerSelector(spec: FederationSpec): string {
  return ownerSelectorOf(ownerLabels(spec))
}

/** The label selector that matches objects carrying these ownership labels. */
export function ownerSelectorOf(owner: Readonly<Record<string, string>>): string {
  return Object.entries(owner)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')
}

/** The mode label keys mcfed may set (from the one place that maps modes to labels). */
export const MODE_LABEL_KEYS: readonly string[] = [...new Set((['federated', 'flat', 'gateway'] as const).map((m) => modeLabel(m).key))]

/** Whether an object carries this federation's ownership labels. */
export function isOwned(labels: Record<string, string> | undefined, federation: string): boolean {
  return labels?.[MANAGED_BY] === 'mcfed' && labels[FEDERATION] === federation
}
