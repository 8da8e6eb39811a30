import {ownerLabels} from '../../providers/kube/labels.js'
import {componentContext, mutateComponent} from '../../providers/kube/linkerd/install/mutate-component.js'
import {observeComponent} from '../../providers/kube/linkerd/install/read-components.js'
import {kubeKind, type KubeKind} from './kube-kind.js'

export const linkerdControlPlane: KubeKind<'linkerd_control_plane'> = kubeKind('linkerd_control_plane', {
  schema: {
    layer: 'kube',
    forcesReplacement: [],
    // `values` is what apply renders from (without key material); the objects it renders are what compares.
    ignored: ['objects', 'api_versions', 'values'],
    sensitive: [],
    replaceOrder: 'create-then-delete',
    destroyGuarded: false,
    description: 'Linkerd control plane, as `linkerd install` renders it, issuer and trust roots included',
  },
  lists: ['install'],
  observe: (listing, {spec}) => observeComponent('control-plane', listing, ownerLabels(spec)),
  // The issuer's key reaches the render through the secrets port or this run's issuance, never the plan.
  mutate: (ctx, m, c) => mutateComponent(componentContext(ctx, c.cluster), m, c),
})
