import type {KubeObject} from '../install/manifests.js'
import {DESTINATION_DEPLOYMENT, LINK_CREDENTIALS_ANNOTATION} from '../names.js'

/**
 * The destination Deployment as a partial object carrying only the pod-template annotation that
 * names the credential generations it must have read: a new value rolls it out (it reads the
 * Secrets only when it starts). Without `stamp`, the annotation's field manager gives it up.
 */
export function destinationStampPatch(namespace: string, stamp: string | undefined): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: DESTINATION_DEPLOYMENT, namespace},
    spec: {template: {metadata: stamp === undefined ? {} : {annotations: {[LINK_CREDENTIALS_ANNOTATION]: stamp}}}},
  }
}
