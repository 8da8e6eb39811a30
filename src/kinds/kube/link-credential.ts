import {STORE_LABELS, linkCredentialSecretId} from '../../gitops/secret-store.js'
import {FEDERATION} from '../../providers/kube/labels.js'
import {mutateCredential} from '../../providers/kube/linkerd/mutate-credential.js'
import {observeCredentials, orphanedGenerations} from '../../providers/kube/linkerd/read-credentials.js'
import {kubeKind, type KubeKind} from './kube-kind.js'
import {onExtension} from './remote-access.js'

export const linkerdLinkCredential: KubeKind<'linkerd_link_credential'> = kubeKind('linkerd_link_credential', {
  lists: ['owned-secrets', 'links', 'credential-readers'],

  observe(listing, {spec}) {
    return {resources: observeCredentials(listing.cluster, spec, listing).map((r) => onExtension(r, spec)), diagnostics: []}
  },

  /** A target may hold a generation's bound Secret that its consumer no longer does: revoke it too. */
  relate: (resources, fleet) => [...resources, ...orphanedGenerations(resources, fleet)],

  mutate(ctx, m, c) {
    const a = (m === 'delete' ? c.before : c.after) ?? {}
    const federation = ctx.owner[FEDERATION]!
    const store = ctx.store && {
      open: ctx.store,
      id: linkCredentialSecretId(federation, c.cluster, String(a.link)),
      labels: {[STORE_LABELS.federation]: federation, [STORE_LABELS.consumer]: c.cluster, [STORE_LABELS.link]: String(a.link), [STORE_LABELS.target]: String(a.target_cluster)},
    }
    return mutateCredential({consumer: ctx.client, target: () => ctx.clientFor(String(a.target_cluster)), owner: {...ctx.owner}, ...(store ? {store} : {})}, m, c)
  },
})
