import {address, type ObservedResource} from '../../graph/resource.js'
import {mutateRemoteAccess} from '../../providers/kube/linkerd/mutate-remote-access.js'
import {observeRemoteAccess} from '../../providers/kube/linkerd/read-remote-access.js'
import type {FederationSpec} from '../../spec/types.js'
import {kubeKind, type KubeKind} from './kube-kind.js'

export const linkerdRemoteAccess: KubeKind<'linkerd_remote_access'> = kubeKind('linkerd_remote_access', {
  lists: ['remote-access'],

  observe({cluster, remoteAccess}, {spec}) {
    return {resources: observeRemoteAccess(cluster, remoteAccess.accounts, remoteAccess.roles, remoteAccess.bindings).map((r) => onExtension(r, spec)), diagnostics: []}
  },

  mutate: (ctx, m, c) => mutateRemoteAccess(ctx.client, m, (m === 'delete' ? c.before : c.after) ?? {}, {...ctx.owner}),
})

/** With `install: mcfed`, a Link and its remote access go before the extension that defines Links (a destroy's order). */
export function onExtension(r: ObservedResource, spec: FederationSpec): ObservedResource {
  if (spec.spec.linkerd.install !== 'mcfed') return r
  return {...r, dependsOn: [...(r.dependsOn ?? []), address('linkerd_multicluster', r.cluster)]}
}
