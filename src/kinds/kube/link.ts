import {markRevokedCredentials, observeLinks, type ObservedLinks} from '../../providers/kube/linkerd/read-links.js'
import type {ClusterListing} from '../../providers/kube/listing.js'
import type {FederationSpec} from '../../spec/types.js'
import {mutateLink} from '../../providers/kube/linkerd/mutate-link.js'
import {kubeKind, type KubeKind} from './kube-kind.js'
import {onExtension} from './remote-access.js'

export const linkerdLink: KubeKind<'linkerd_link'> = kubeKind('linkerd_link', {
  schema: {
    // Credentials near expiry or issued for a ServiceAccount that no longer exists: re-issue them.
    forcesReplacement: ['credentials_valid'],
    ignored: ['credentials_expire', 'credentials_problem', 'credentials_validity'],
    replaceReasons: {credentials_valid: (live) => `the link's credentials ${String(live.credentials_problem ?? 'are not valid')}`},
    sensitive: ['credentials'],
    description: 'Link and its credentials Secrets in the consuming cluster',
  },
  lists: ['links', 'owned-secrets'],

  observe(listing, {spec}) {
    return {resources: linksOf(listing, spec).resources.map((r) => onExtension(r, spec)), diagnostics: []}
  },

  /** A token whose ServiceAccount was deleted or recreated on its target no longer authenticates. */
  relate(resources, listings, {spec}) {
    const bindings = [...listings.values()].flatMap((l) => linksOf(l, spec).bindings)
    // A target that was not read (unreachable) says nothing: null.
    const liveUid = (target: string, account: string) => {
      const listing = listings.get(target)
      return listing ? listing.remoteAccess.accounts.find((a) => a.metadata?.name === account)?.metadata?.uid : null
    }
    return markRevokedCredentials(resources, bindings, liveUid)
  },

  mutate: (ctx, m, c) => {
    const a = (m === 'delete' ? c.before : c.after) ?? {}
    const write = () => mutateLink({consumer: ctx.client, target: () => ctx.clientFor(String(a.target_cluster)), owner: {...ctx.owner}, gatewayTimeoutMs: ctx.gatewayTimeoutMs, signal: ctx.signal}, m, c)
    // A new flat link's controller joins every federated service its target is a member of.
    if (m === 'delete' || c.action === 'update' || a.mode !== 'flat') return write()
    return ctx.federation.serialized(ctx.federation.ofLink(c.cluster, String(a.target_cluster_name), String(a.target_cluster)), write)
  },
})

/** A cluster's Links as observed, mapped once per listing: `relate` needs their token bindings again. */
const mapped = new WeakMap<ClusterListing, ObservedLinks>()
function linksOf(listing: ClusterListing, spec: FederationSpec): ObservedLinks {
  let links = mapped.get(listing)
  if (!links) {
    links = observeLinks(listing.cluster, spec, listing.links ?? [], listing.ownedSecrets)
    mapped.set(listing, links)
  }
  return links
}
