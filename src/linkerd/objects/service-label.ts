import type {KubeObject} from '../install/manifests.js'

/**
 * The mode label as a partial Service: applied server-side it sets that one label (and, with no
 * labels, drops what the applier's field manager owned), never the Service's spec. mcfed labels
 * Services; it does not deploy them.
 */
export function serviceLabelPatch(namespace: string, name: string, label?: {readonly key: string; readonly value: string}): KubeObject {
  return {apiVersion: 'v1', kind: 'Service', metadata: {name, namespace, ...(label ? {labels: {[label.key]: label.value}} : {})}}
}
