import type {KubeKind} from '../../../../kinds/kube/kube-kind.js'
import {kubeKind} from '../../../../kinds/kube/kube-kind.js'
import type {Component} from '../../../../linkerd/install/manifests.js'
import type {KubeKindName} from '../../../../model/kinds.js'
import {ownerLabels} from '../../labels.js'
import {componentContext, mutateComponent} from './mutate-component.js'
import {observeComponent} from './read-components.js'

/**
 * A component Linkerd's CLI renders (CRDs, control plane, multicluster extension): read as the
 * objects mcfed applied of it against this plan's render, object by object; applied from the
 * plan's values. The three kinds differ only in which render they are and how they describe it.
 */
export function componentKind<K extends KubeKindName>(kind: K, component: Component): KubeKind<K> {
  return kubeKind(kind, {
    lists: ['install'],
    // In GitOps mode the engine applies the components: mcfed writes no render record to miss.
    observe: (listing, {spec}) => observeComponent(component, listing, ownerLabels(spec), !spec.spec.gitops),
    // The control plane's issuer key reaches its render through the secrets port or this run's issuance, never the plan.
    mutate: (ctx, m, c) => mutateComponent(componentContext(ctx, c), m, c),
  })
}
