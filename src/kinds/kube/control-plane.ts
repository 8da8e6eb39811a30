import {componentKind} from '../../providers/kube/linkerd/install/component-kind.js'
import type {KubeKind} from './kube-kind.js'

export const linkerdControlPlane: KubeKind<'linkerd_control_plane'> = componentKind('linkerd_control_plane', 'control-plane')
