import {componentKind} from '../../providers/kube/linkerd/install/component-kind.js'
import type {KubeKind} from './kube-kind.js'

export const linkerdMulticluster: KubeKind<'linkerd_multicluster'> = componentKind('linkerd_multicluster', 'multicluster')
