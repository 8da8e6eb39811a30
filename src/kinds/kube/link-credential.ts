import {mutateCredential} from '../../providers/kube/linkerd/mutate-credential.js'
import {observeCredentials, orphanedGenerations} from '../../providers/kube/linkerd/read-credentials.js'
import {kubeKind, type KubeKind} from './kube-kind.js'
import {onExtension} from './remote-access.js'

export const linkerdLinkCredential: KubeKind<'linkerd_link_credential'> = kubeKind('linkerd_link_credential', {
  schema: {
    description: "a generation of a link's credentials: a token bound to a Secret on the target, kept in the consumer",
    sensitive: ['credentials'],
    // The target's API server is a fact about the target: a generation naming another one is not
    // usable, and the plan makes a new generation (a generation is never re-issued in place: the
    // service mirror reads its Secret again only when the Link names another one).
    ignored: ['api_server'],
    // An old generation is revoked only once the Link names the new one and the destination controller has restarted with it.
    deleteAfterWritesOf: ['linkerd_link_credential', 'linkerd_link', 'linkerd_destination_credentials'],
    deleteReason: (live) =>
      live.generation === 0
        ? 'credentials from before generations; the token is not bound and lives until it expires'
        : `revoked once no Link and no destination controller uses it: the Secret its token is bound to goes from ${String(live.target_cluster)}`,
  },
  lists: ['owned-secrets', 'links', 'credential-readers'],

  observe(listing, {spec}) {
    return {resources: observeCredentials(listing.cluster, spec, listing).map((r) => onExtension(r, spec)), diagnostics: []}
  },

  /** A target may hold a generation's bound Secret that its consumer no longer does: revoke it too. */
  relate: (resources, listings) => [...resources, ...orphanedGenerations(resources, listings)],

  mutate: (ctx, m, c) => mutateCredential({consumer: ctx.client, target: () => ctx.clientFor(String(((m === 'delete' ? c.before : c.after) ?? {}).target_cluster)), owner: {...ctx.owner}}, m, c),
})
