import {ownerLabels} from '../../providers/kube/labels.js'
import {componentContext, mutateComponent} from '../../providers/kube/linkerd/install/mutate-component.js'
import {observeComponent} from '../../providers/kube/linkerd/install/read-components.js'
import {kubeKind, type KubeKind} from './kube-kind.js'

export const linkerdCrds: KubeKind<'linkerd_crds'> = kubeKind('linkerd_crds', {
  schema: {
    layer: 'kube',
    forcesReplacement: [],
    // The objects are compared one by one (object_changes); the digest map only says what exists.
    ignored: ['objects', 'api_versions'],
    sensitive: [],
    replaceOrder: 'create-then-delete',
    destroyGuarded: false,
    description: "Linkerd's CRDs, as `linkerd install --crds` renders them",
  },
  lists: ['install'],
  observe: (listing, {spec}) => observeComponent('crds', listing, ownerLabels(spec)),
  mutate: (ctx, m, c) => mutateComponent(componentContext(ctx, c.cluster), m, c),
})
