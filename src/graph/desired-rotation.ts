import {LINKERD_NAMESPACE, ROTATION_RECORD} from '../linkerd/names.js'
import {RECORD_ATTRIBUTES, recordAttributes} from '../rotation/record-attributes.js'
import type {ClusterRotation} from '../rotation/trust-plan.js'
import {NO_INPUTS, address, type DesiredResource} from './resource.js'

/**
 * A cluster's rotation record and the restarts of this phase. It follows the writes it records
 * (`trustRoots`: the trust roots or the control plane that renders them; the issuer): a time
 * stamped after them is one every control-plane pod created later has read them by.
 */
export function desiredRotation(cluster: string, rotation: ClusterRotation, trustRoots: string): DesiredResource {
  const stamped = rotation.stampNow ? RECORD_ATTRIBUTES[rotation.stampNow] : undefined
  const restartControlPlane = rotation.actions.find((a) => a.kind === 'restart-control-plane')
  const restartPods = rotation.actions.find((a) => a.kind === 'restart-workloads')
  const gke = address('gke_cluster', cluster)
  const reasons = [
    ...(restartControlPlane?.kind === 'restart-control-plane' ? [`restart the control plane: ${restartControlPlane.because}`] : []),
    ...(restartPods?.kind === 'restart-workloads' ? [`restart the workloads of ${restartPods.pods} meshed pod${restartPods.pods === 1 ? '' : 's'} started before ${restartPods.startedBefore}`] : []),
    ...(rotation.destructive ? ['drop the old anchor from the trust roots'] : []),
  ]
  return {
    address: address('linkerd_trust_rotation', cluster),
    kind: 'linkerd_trust_rotation',
    name: cluster,
    cluster,
    attributes: {
      namespace: LINKERD_NAMESPACE,
      config_map: ROTATION_RECORD,
      phase: rotation.phase,
      ...recordAttributes(rotation.record),
      ...(stamped ? {[stamped]: null} : {}),
      restart_control_plane: restartControlPlane !== undefined,
      restart_pods_started_before: restartPods?.kind === 'restart-workloads' ? restartPods.startedBefore : null,
    },
    unknown: stamped ? [stamped] : [],
    inputs: NO_INPUTS,
    dependsOn: [gke, trustRoots, address('linkerd_issuer', cluster)],
    replacedWith: [gke],
    ...(reasons.length > 0 ? {reason: `rotation phase ${rotation.phase}: ${reasons.join('; ')}`} : {}),
    ...(rotation.destructive ? {guarded: true as const} : {}),
  }
}
