import {componentKind} from '../../providers/kube/linkerd/install/component-kind.js'
import type {KubeKind} from './kube-kind.js'

export const linkerdCrds: KubeKind<'linkerd_crds'> = componentKind('linkerd_crds', 'crds')
