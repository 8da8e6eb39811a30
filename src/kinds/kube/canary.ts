import {isOwned} from '../../providers/kube/labels.js'
import {mutateCanary, observeCanary} from '../../providers/kube/linkerd/canary.js'
import {kubeKind, type KubeKind} from './kube-kind.js'
import {onExtension} from './remote-access.js'

export const linkerdCanary: KubeKind<'linkerd_canary'> = kubeKind('linkerd_canary', {
  lists: ['services'],

  observe: ({cluster, services}, {spec}) => ({resources: observeCanary(cluster, services.values(), (s) => isOwned(s.metadata?.labels, spec.metadata.name)).map((r) => onExtension(r, spec)), diagnostics: []}),

  mutate: (ctx, m, c) => mutateCanary(ctx.client, ctx.owner, m, c),
})
