import {mutateLink} from '../../providers/kube/linkerd/mutate-link.js'
import {observeLinks} from '../../providers/kube/linkerd/read-links.js'
import {kubeKind, type KubeKind} from './kube-kind.js'
import {onExtension} from './remote-access.js'

export const linkerdLink: KubeKind<'linkerd_link'> = kubeKind('linkerd_link', {
  lists: ['links', 'owned-secrets'],

  observe(listing, {spec}) {
    return {resources: observeLinks(listing.cluster, spec, listing.links ?? [], listing.ownedSecrets).map((r) => onExtension(r, spec)), diagnostics: []}
  },

  mutate: (ctx, m, c) => {
    const a = (m === 'delete' ? c.before : c.after) ?? {}
    const write = () => mutateLink({consumer: ctx.client, target: () => ctx.clientFor(String(a.target_cluster)), owner: {...ctx.owner}, gatewayTimeoutMs: ctx.gatewayTimeoutMs, signal: ctx.signal}, m, c)
    // A new flat link's controller joins every federated service its target is a member of.
    if (m === 'delete' || c.action === 'update' || a.mode !== 'flat') return write()
    return ctx.federation.serialized(ctx.federation.ofLink(c.cluster, String(a.target_cluster_name), String(a.target_cluster)), write)
  },
})
