import type {V1Service} from '@kubernetes/client-node'

import {address, type ObservedResource} from '../../../graph/resource.js'
import {CANARY, MULTICLUSTER_NAMESPACE} from '../../../linkerd/names.js'
import {canaryService} from '../../../linkerd/objects/canary.js'
import type {ResourceChange} from '../../../plan/types.js'
import type {Mutation} from '../../types.js'
import type {KubeClient} from '../client.js'

const MODES = ['flat', 'gateway'] as const

/** Whether a Service is one of mcfed's canaries (they carry a mode label, so they are in the labelled lists). */
export function isCanary(svc: V1Service): boolean {
  return svc.metadata?.labels?.[CANARY.label] === 'true' && svc.metadata.namespace === MULTICLUSTER_NAMESPACE
}

/** A target's canaries as observed, from the Services the labelled lists returned. */
export function observeCanary(cluster: string, services: Iterable<V1Service>, owned: (svc: V1Service) => boolean): ObservedResource[] {
  const found = [...services].filter((s) => isCanary(s) && owned(s)).map((s) => s.metadata!.name!)
  if (found.length === 0) return []
  const names = MODES.map((m) => CANARY.services[m]).filter((n) => found.includes(n))
  return [{address: address('linkerd_canary', cluster), kind: 'linkerd_canary', name: cluster, cluster, owned: true, attributes: {namespace: MULTICLUSTER_NAMESPACE, services: names}}]
}

/**
 * Writes the canaries a target's links need: selector-less Services (nothing ever connects to
 * them) exported in each link mode, which every consumer's service mirror then mirrors. The
 * annotation `verify` changes is left to verify's field manager.
 */
export async function mutateCanary(client: KubeClient, owner: Readonly<Record<string, string>>, mutation: Mutation, change: ResourceChange): Promise<void> {
  const wanted = new Set(mutation === 'delete' ? [] : ((change.after?.services ?? []) as string[]))
  for (const mode of MODES) {
    const name = CANARY.services[mode]
    const metadata = {name, namespace: MULTICLUSTER_NAMESPACE}
    if (!wanted.has(name)) {
      await client.delete({apiVersion: 'v1', kind: 'Service', metadata})
      continue
    }
    await client.apply(canaryService(mode, owner) as never, true)
  }
}

/** `verify`'s write: a new value on each canary of a target, which its consumers' mirrors must come to carry. */
export async function bumpCanaries(client: KubeClient, names: readonly string[], value: string): Promise<void> {
  for (const name of names) {
    await client.applyAs({apiVersion: 'v1', kind: 'Service', metadata: {name, namespace: MULTICLUSTER_NAMESPACE, annotations: {[CANARY.annotation]: value}}} as never, CANARY.fieldManager)
  }
}
