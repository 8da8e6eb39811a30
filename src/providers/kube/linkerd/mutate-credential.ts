import {ProviderError} from '../../../diagnostics/errors.js'
import type {Json} from '../../../graph/resource.js'
import {MULTICLUSTER_NAMESPACE, REMOTE_KUBECONFIG_SECRET_TYPE} from '../../../linkerd/names.js'
import {credentialLabels, credentialReaderObjects, credentialSecretMetadata} from '../../../linkerd/objects/credential.js'
import {generationAlias} from '../../../gitops/secret-store.js'
import type {ResourceChange} from '../../../plan/types.js'
import {parseDuration} from '../../../util/duration.js'
import type {Mutation} from '../../types.js'
import type {KubeClient} from '../client.js'
import type {SecretStore} from '../../secrets/secret-store.js'
import {linkKubeconfig} from './kubeconfig.js'

export interface CredentialMutationContext {
  readonly consumer: KubeClient
  readonly target: () => Promise<KubeClient>
  readonly owner: Record<string, string>
  /**
   * GitOps mode: the generation's kubeconfig goes to this store (secret `id`, alias `g<N>`) instead
   * of the consumer, where the tree's ExternalSecret and reader grant bring it.
   */
  readonly store?: {readonly open: () => Promise<SecretStore>; readonly id: string; readonly labels: Readonly<Record<string, string>>}
}

/**
 * Issues or revokes one generation of a link's credentials.
 *
 * Issue: the grant that lets the link's service mirror read the generation's Secret, a Secret of
 * the generation's own on the target, then a token from the target's TokenRequest API for the
 * link's ServiceAccount bound to that Secret, then the consumer's Secret holding a kubeconfig with
 * the token, which the Link will name. Re-run after a kill, each step finds what the last run made
 * (the bound Secret is kept, the token is issued again).
 *
 * Revoke: the bound Secret on the target first (the API server then refuses the token, within its
 * token cache's ten seconds), then the consumer's Secret. A generation from before generations has
 * no bound Secret: only its consumer Secret goes, and its token lives until it expires.
 */
export async function mutateCredential(ctx: CredentialMutationContext, mutation: Mutation, change: ResourceChange): Promise<void> {
  const a = ((mutation === 'delete' ? change.before : change.after) ?? {}) as {readonly [k: string]: Json}
  const link = String(a.link)
  const consumerSecret = {apiVersion: 'v1', kind: 'Secret', metadata: {name: String(a.secret), namespace: MULTICLUSTER_NAMESPACE}}
  const [readerRole, readerBinding] = credentialReaderObjects(a, change.cluster, ctx.owner)
  const reader = {name: readerRole.metadata.name, namespace: MULTICLUSTER_NAMESPACE}
  const labels = credentialLabels(a, change.cluster, ctx.owner)
  if (mutation === 'delete') {
    if (a.bound_secret) await (await ctx.target()).delete({apiVersion: 'v1', kind: 'Secret', metadata: {name: String(a.bound_secret), namespace: MULTICLUSTER_NAMESPACE}})
    if (ctx.store) return (await ctx.store.open()).drop(ctx.store.id, generationAlias(Number(a.generation)))
    await ctx.consumer.delete({apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: reader})
    await ctx.consumer.delete({apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: reader})
    await ctx.consumer.delete(consumerSecret)
    return
  }
  if (!ctx.store) {
    await ctx.consumer.apply(readerRole as never, true)
    await ctx.consumer.apply(readerBinding as never, true)
  }
  // An update repairs the reader's grant only (in GitOps mode the tree's): the token and its Secrets stand as issued.
  if (mutation === 'update') return
  const target = await ctx.target()
  const bound = {apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: {name: String(a.bound_secret), namespace: MULTICLUSTER_NAMESPACE, labels}}
  await target.createIfMissing(bound)
  const uid = (await target.readObject('v1', 'Secret', bound.metadata.name, MULTICLUSTER_NAMESPACE))?.metadata?.uid
  if (!uid) throw new ProviderError(`${change.address}: the Secret ${MULTICLUSTER_NAMESPACE}/${bound.metadata.name} the token is to be bound to is not on ${String(a.target_cluster)}`, {resource: change.address, reason: 'NotFound'})
  const validityMs = parseDuration(String(a.validity)) ?? 90 * 24 * 3_600_000
  const issued = await target.createToken(MULTICLUSTER_NAMESPACE, String(a.service_account), Math.round(validityMs / 1000), {kind: 'Secret', name: bound.metadata.name, uid})
  const {server, caPem} = target.endpoint()
  const kubeconfigText = linkKubeconfig({link, server, caPem, user: String(a.service_account), token: issued.token})
  if (ctx.store) {
    await (await ctx.store.open()).put(ctx.store.id, ctx.store.labels, generationAlias(Number(a.generation)), Buffer.from(kubeconfigText))
    return
  }
  const kubeconfig = Buffer.from(kubeconfigText).toString('base64')
  await ctx.consumer.apply({...consumerSecret, type: REMOTE_KUBECONFIG_SECRET_TYPE, metadata: credentialSecretMetadata(a, change.cluster, ctx.owner), data: {kubeconfig}} as never, true)
}
