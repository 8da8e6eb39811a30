import {modeLabel} from '../../graph/topology.js'
import type {KubeObject} from '../install/manifests.js'
import {CANARY, MULTICLUSTER_NAMESPACE} from '../names.js'

/**
 * A target's canary for one link mode: a selector-less Service (nothing ever connects to it)
 * exported in that mode, which every consumer's service mirror then mirrors.
 */
export function canaryService(mode: 'flat' | 'gateway', owner: Readonly<Record<string, string>>): KubeObject {
  const label = modeLabel(mode)
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name: CANARY.services[mode], namespace: MULTICLUSTER_NAMESPACE, labels: {...owner, [CANARY.label]: 'true', [label.key]: label.value}},
    spec: {ports: [{name: 'canary', port: 80}]},
  }
}
