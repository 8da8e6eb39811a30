import type {V1ClusterRole, V1ClusterRoleBinding, V1ServiceAccount} from '@kubernetes/client-node'

import {address, type ObservedResource} from '../../../graph/resource.js'
import {MCFED_LABEL, MULTICLUSTER_NAMESPACE} from '../../../linkerd/names.js'
import {ruleString} from '../../../linkerd/rules.js'

/**
 * Maps the remote-access objects mcfed owns on a target cluster (found by its ownership labels)
 * to observed `linkerd_remote_access`es: one per consumer and link, whichever of the ServiceAccount,
 * ClusterRole and ClusterRoleBinding is left, so a half-deleted one is repaired or removed whole.
 */
export function observeRemoteAccess(cluster: string, accounts: readonly V1ServiceAccount[], roles: readonly V1ClusterRole[], bindings: readonly V1ClusterRoleBinding[]): ObservedResource[] {
  const byKey = new Map<string, {consumer: string; link: string; name: string}>()
  for (const o of [...accounts, ...roles, ...bindings]) {
    const labels = o.metadata?.labels ?? {}
    const consumer = labels[MCFED_LABEL.linkConsumer]
    const link = labels[MCFED_LABEL.link]
    if (consumer && link) byKey.set(`${consumer}/${link}`, {consumer, link, name: o.metadata?.name ?? ''})
  }
  return [...byKey.values()].map(({consumer, link, name}) => {
    const account = accounts.find((a) => a.metadata?.name === name)
    const role = roles.find((r) => r.metadata?.name === name)
    const binding = bindings.find((b) => b.metadata?.name === name)
    const bound =
      binding?.roleRef?.kind === 'ClusterRole' &&
      binding.roleRef.name === name &&
      (binding.subjects ?? []).length === 1 &&
      binding.subjects![0]!.kind === 'ServiceAccount' &&
      binding.subjects![0]!.name === name &&
      binding.subjects![0]!.namespace === MULTICLUSTER_NAMESPACE
    return {
      address: address('linkerd_remote_access', `${cluster}/${consumer}/${link}`),
      kind: 'linkerd_remote_access' as const,
      name: `${cluster}/${consumer}/${link}`,
      cluster,
      owned: true,
      attributes: {
        namespace: account?.metadata?.namespace ?? MULTICLUSTER_NAMESPACE,
        service_account: account ? name : null,
        consumer,
        link,
        rules: role ? (role.rules ?? []).map(ruleString) : null,
        bound,
      },
    }
  })
}
