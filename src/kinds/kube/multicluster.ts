import {ownerLabels} from '../../providers/kube/labels.js'
import {componentContext, mutateComponent} from '../../providers/kube/linkerd/install/mutate-component.js'
import {observeComponent} from '../../providers/kube/linkerd/install/read-components.js'
import {kubeKind, type KubeKind} from './kube-kind.js'

export const linkerdMulticluster: KubeKind<'linkerd_multicluster'> = kubeKind('linkerd_multicluster', {
  schema: {
    layer: 'kube',
    forcesReplacement: [],
    // `values` is what apply renders from (without key material); the objects it renders are what compares.
    ignored: ['objects', 'api_versions', 'values'],
    sensitive: [],
    replaceOrder: 'create-then-delete',
    destroyGuarded: false,
    description: 'multicluster extension: gateway and one service-mirror controller per consumed link',
  },
  lists: ['install'],
  observe: (listing, {spec}) => observeComponent('multicluster', listing, ownerLabels(spec)),
  mutate: (ctx, m, c) => mutateComponent(componentContext(ctx, c.cluster), m, c),
})
