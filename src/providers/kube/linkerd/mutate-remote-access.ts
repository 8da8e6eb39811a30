import {ProviderError} from '../../../diagnostics/errors.js'
import type {Json} from '../../../graph/resource.js'
import {MCFED_LABEL, remoteAccessName} from '../../../linkerd/names.js'
import {parseRule} from '../../../linkerd/rules.js'
import type {Mutation} from '../../types.js'
import type {KubeClient} from '../client.js'

/**
 * Writes or removes one link's remote access on its target: a ServiceAccount, a ClusterRole with
 * exactly the plan's rules, and the binding between them, all named after the consumer and link.
 * Deleting the ServiceAccount is what revokes the link's tokens (they are bound to its UID).
 */
/**
 * How long kube-apiserver keeps authenticating a token it accepted recently (its token success
 * cache, 10 s), plus a margin: a removal waits this out so that, once apply returns, the removed
 * link's old token is refused as unauthenticated, not only forbidden.
 */
export const TOKEN_CACHE_TTL_MS = 11_000

export async function mutateRemoteAccess(
  client: KubeClient,
  mutation: Mutation,
  a: {readonly [k: string]: Json},
  owner: Record<string, string>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<void> {
  const name = remoteAccessName(String(a.consumer), String(a.link))
  const namespace = String(a.namespace)
  const labels = {...owner, [MCFED_LABEL.linkConsumer]: String(a.consumer), [MCFED_LABEL.link]: String(a.link)}
  const account = {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name, namespace, labels}}
  const role = {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: {name, labels}}
  const binding = {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: {name, labels}}
  if (mutation === 'delete') {
    await client.delete(binding)
    await client.delete(role)
    await client.delete(account)
    await sleep(TOKEN_CACHE_TTL_MS)
    return
  }
  await client.apply(account, true)
  const rules = (Array.isArray(a.rules) ? a.rules : []).map((line) => {
    const rule = parseRule(String(line))
    if (!rule) throw new ProviderError(`remote access ${name}: the plan holds a rule mcfed cannot read: ${String(line)}`)
    return rule
  })
  await client.apply({...role, rules} as typeof role, true)
  await client.apply({...binding, roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name}, subjects: [{kind: 'ServiceAccount', name, namespace}]} as typeof binding, true)
}
