import type {V1Secret} from '@kubernetes/client-node'

import {ProviderError} from '../../../diagnostics/errors.js'
import type {Json} from '../../../graph/resource.js'
import {GATEWAY_SERVICE, LABEL, LINK_API_GROUP, LINK_API_VERSION, LINKERD_NAMESPACE, MULTICLUSTER_NAMESPACE, REMOTE_KUBECONFIG_SECRET_TYPE, credentialsSecretName} from '../../../linkerd/names.js'
import type {ResourceChange} from '../../../plan/types.js'
import type {Mutation} from '../../types.js'
import type {KubeClient} from '../client.js'
import {gatewayFacts} from './gateway.js'
import {MODE_EXCLUSIVE, destinationCopyMetadata, linkObject, type GatewayEndpoint} from '../../../linkerd/objects/link.js'

export interface LinkMutationContext {
  readonly consumer: KubeClient
  readonly target: () => Promise<KubeClient>
  readonly owner: Record<string, string>
  /** How long to wait for the target's gateway to get an external address. */
  readonly gatewayTimeoutMs: number
  readonly signal?: AbortSignal
  /** Between two looks at the target's gateway. */
  readonly pollMs?: number
}

/**
 * Writes a Link from the plan's `after`: first the destination controller's copy of the credential
 * generation the Link names (rewritten in place: the running destination controller ignores the
 * update, and reads it when `linkerd_destination_credentials` restarts it), then the Link. A new
 * `clusterCredentialsSecret` is a change of the Link's spec, the one event on which Linkerd's
 * service mirror reads its credentials again. Deleting removes the Link, the copy and the mirrors
 * the link made (as unlink); the generations go as their own resources.
 */
export async function mutateLink(ctx: LinkMutationContext, mutation: Mutation, change: ResourceChange): Promise<void> {
  const a = ((mutation === 'delete' ? change.before : change.after) ?? {}) as {readonly [k: string]: Json}
  const name = String(a.target_cluster_name)
  const copyMeta = {name: credentialsSecretName(name), namespace: LINKERD_NAMESPACE}
  const linkMeta = {name, namespace: MULTICLUSTER_NAMESPACE}
  if (mutation === 'delete') {
    await ctx.consumer.delete({apiVersion: `${LINK_API_GROUP}/${LINK_API_VERSION}`, kind: 'Link', metadata: linkMeta})
    await ctx.consumer.delete({apiVersion: 'v1', kind: 'Secret', metadata: copyMeta})
    for (const mirror of await ctx.consumer.listServices(undefined, `mirror.linkerd.io/mirrored-service=true,${LABEL.clusterName}=${name}`)) {
      await ctx.consumer.delete({apiVersion: 'v1', kind: 'Service', metadata: {name: mirror.metadata!.name!, namespace: mirror.metadata!.namespace!}})
    }
    return
  }
  const gateway = a.mode === 'gateway' ? await gatewayFor(ctx, await ctx.target(), change, a) : undefined
  const secretName = String(a.credentials_secret)
  const generation = (await ctx.consumer.readObject('v1', 'Secret', secretName, MULTICLUSTER_NAMESPACE)) as V1Secret | undefined
  const kubeconfig = generation?.data?.kubeconfig
  if (!kubeconfig) {
    throw new ProviderError(`${change.address}: the credentials the Link is to name (${MULTICLUSTER_NAMESPACE}/${secretName}) are not in ${change.cluster}`, {
      resource: change.address,
      reason: 'NotFound',
      hint: 'their generation is issued in the same apply, before the Link: apply again, and it plans a new one',
    })
  }
  await ctx.consumer.apply({apiVersion: 'v1', kind: 'Secret', type: REMOTE_KUBECONFIG_SECRET_TYPE, metadata: destinationCopyMetadata(a, ctx.owner), data: {kubeconfig}} as never, true)
  const link = linkObject(a, ctx.owner, gateway)
  await ctx.consumer.apply(link as never, true)
  const stray = MODE_EXCLUSIVE.filter((f) => !(f in (link.spec as object)))
  if (change.action !== 'create' && stray.length > 0) {
    await ctx.consumer.mergePatch({apiVersion: link.apiVersion, kind: link.kind, metadata: linkMeta, spec: Object.fromEntries(stray.map((f) => [f, null]))} as never)
  }
}

/**
 * The target gateway's address, port, identity and probe, read at apply time: its load balancer
 * may get its address only now. Waits, bounded, for the address to appear (the executor reports
 * the step as still creating meanwhile).
 */
async function gatewayFor(ctx: LinkMutationContext, target: KubeClient, change: ResourceChange, a: {readonly [k: string]: Json}): Promise<GatewayEndpoint> {
  const deadline = Date.now() + ctx.gatewayTimeoutMs
  for (;;) {
    const services = await target.listServices(MULTICLUSTER_NAMESPACE, `${LABEL.extension}=multicluster`)
    const facts = gatewayFacts(services)
    if (facts?.address) {
      return {
        address: facts.address,
        identity: facts.identity ?? String(a.gateway_identity),
        port: facts.port ?? String(a.gateway_port),
        probePath: facts.probePath ?? String(a.probe_path),
        probePort: facts.probePort ?? String(a.probe_port),
        probePeriod: facts.probePeriod ?? String(a.probe_period),
      }
    }
    if (Date.now() >= deadline || ctx.signal?.aborted) {
      throw new ProviderError(
        `${change.address}: the gateway of ${String(a.target_cluster)} (${MULTICLUSTER_NAMESPACE}/${GATEWAY_SERVICE}) ${facts ? 'has no external address' : 'does not exist'} after ${Math.round(ctx.gatewayTimeoutMs / 1000)}s`,
        {resource: change.address, reason: 'GatewayNotReady', hint: facts ? 'its LoadBalancer Service waits for an address: check the cloud load balancer, then apply again' : `install the multicluster extension with gateway.enabled: true in ${String(a.target_cluster)}`},
      )
    }
    await new Promise((r) => setTimeout(r, ctx.pollMs ?? 1_000))
  }
}
