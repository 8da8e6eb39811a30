import type {V1Deployment} from '@kubernetes/client-node'

import {ProviderError} from '../../../diagnostics/errors.js'
import {address, type ObservedResource} from '../../../graph/resource.js'
import {CREDENTIALS_FIELD_MANAGER, DESTINATION_DEPLOYMENT, LINK_CREDENTIALS_ANNOTATION} from '../../../linkerd/names.js'
import {destinationStampPatch} from '../../../linkerd/objects/destination-credentials.js'
import type {ResourceChange} from '../../../plan/types.js'
import type {Mutation} from '../../types.js'
import type {KubeClient} from '../client.js'

/**
 * A Deployment's rollout is complete as `kubectl rollout status` says it: the controller saw the
 * current template, every replica runs it and is available, and no old one is left.
 */
export function rolledOut(d: V1Deployment): boolean {
  const want = d.spec?.replicas ?? 1
  const st = d.status ?? {}
  return (st.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) && (st.updatedReplicas ?? 0) >= want && (st.replicas ?? 0) <= (st.updatedReplicas ?? 0) && (st.availableReplicas ?? 0) >= want
}

/** The destination controller's Deployment of a cluster's control plane, among those its list returned. */
export function destinationDeployment(deployments: readonly V1Deployment[]): V1Deployment | undefined {
  return deployments.find((d) => d.metadata?.name === DESTINATION_DEPLOYMENT)
}

/** What the destination controller of a cluster was last told to read, where mcfed told it. */
export function observeDestinationCredentials(cluster: string, deployments: readonly V1Deployment[]): ObservedResource[] {
  const d = destinationDeployment(deployments)
  const stamp = d?.spec?.template?.metadata?.annotations?.[LINK_CREDENTIALS_ANNOTATION]
  if (!d || stamp === undefined) return []
  return [
    {
      address: address('linkerd_destination_credentials', cluster),
      kind: 'linkerd_destination_credentials',
      name: cluster,
      cluster,
      owned: true,
      attributes: {namespace: d.metadata?.namespace ?? '', deployment: DESTINATION_DEPLOYMENT, field_manager: CREDENTIALS_FIELD_MANAGER, credentials: stamp, rolled_out: rolledOut(d)},
    },
  ]
}

export interface RestartContext {
  readonly client: KubeClient
  /** How long the rollout may take before apply gives up on it (the next apply waits again). */
  readonly timeoutMs: number
  readonly pollMs?: number
  readonly signal?: AbortSignal
}

/**
 * Tells the destination controller to read the current credentials: the stamp on its pod template
 * under mcfed's credentials field manager (so the control plane's own apply, by mcfed or by
 * someone else, neither owns nor drops it), then waits until the rollout is complete, which is
 * when the old generations may be revoked. Delete takes the stamp away (one more rollout).
 */
export async function restartDestination(ctx: RestartContext, mutation: Mutation, change: ResourceChange): Promise<void> {
  const a = (mutation === 'delete' ? change.before : change.after) ?? {}
  const namespace = String(a.namespace)
  const annotations = mutation === 'delete' ? undefined : {[LINK_CREDENTIALS_ANNOTATION]: String(a.credentials)}
  const current = (await ctx.client.readObject('apps/v1', 'Deployment', DESTINATION_DEPLOYMENT, namespace)) as V1Deployment | undefined
  if (!current) {
    if (mutation === 'delete') return
    throw new ProviderError(`Deployment ${namespace}/${DESTINATION_DEPLOYMENT} does not exist in ${change.cluster}: no destination controller to give the links' credentials to`, {
      resource: change.address,
      reason: 'NotFound',
      hint: 'install Linkerd\'s control plane in this cluster (with install: mcfed, apply does), then apply again',
    })
  }
  await ctx.client.applyAs(destinationStampPatch(namespace, annotations?.[LINK_CREDENTIALS_ANNOTATION]) as never, CREDENTIALS_FIELD_MANAGER)
  if (mutation === 'delete') return
  const deadline = Date.now() + ctx.timeoutMs
  for (;;) {
    const d = (await ctx.client.readObject('apps/v1', 'Deployment', DESTINATION_DEPLOYMENT, namespace)) as V1Deployment | undefined
    if (d && d.spec?.template?.metadata?.annotations?.[LINK_CREDENTIALS_ANNOTATION] === annotations![LINK_CREDENTIALS_ANNOTATION] && rolledOut(d)) return
    if (Date.now() >= deadline || ctx.signal?.aborted) {
      throw new ProviderError(`${change.address}: ${namespace}/${DESTINATION_DEPLOYMENT} in ${change.cluster} did not finish rolling out within ${Math.round(ctx.timeoutMs / 1000)}s (${d?.status?.updatedReplicas ?? 0} of ${d?.spec?.replicas ?? 1} updated, ${d?.status?.availableReplicas ?? 0} available)`, {
        resource: change.address,
        reason: 'RolloutIncomplete',
        hint: `until it does, Linkerd's destination controller there uses the previous credentials, which mcfed keeps valid; see kubectl -n ${namespace} rollout status deploy/${DESTINATION_DEPLOYMENT}, then apply again`,
      })
    }
    await new Promise((r) => setTimeout(r, ctx.pollMs ?? 500))
  }
}
