import {address, type ObservedResource} from '../../graph/resource.js'
import {LINKERD_NAMESPACE, ROTATION_RECORD} from '../../linkerd/names.js'
import {restartControlPlane, restartMeshedWorkloads} from '../../providers/kube/rollout.js'
import {isOwned} from '../../providers/kube/labels.js'
import {ROTATION_PHASE_ANNOTATION, rotationRecordData, rotationRecordOf} from '../../providers/kube/linkerd/read-trust.js'
import {stamp} from '../../rotation/phase.js'
import {RECORD_ATTRIBUTES, recordAttributes, recordOfAttributes} from '../../rotation/record-attributes.js'
import type {RotationRecord} from '../../rotation/types.js'
import {kubeKind, type KubeKind} from './kube-kind.js'

/**
 * A rotation's progress in one cluster: the record mcfed keeps there (so a killed apply resumes
 * from what the cluster shows) and the restarts the phase needs, planned as attributes that are
 * never true of a live cluster (`restart_control_plane`, `restart_pods_started_before`): a plan
 * shows them as what this apply does, a plan after it does not.
 */
export const linkerdTrustRotation: KubeKind<'linkerd_trust_rotation'> = kubeKind('linkerd_trust_rotation', {
  lists: ['linkerd-config-maps'],

  observe({cluster, linkerdConfigMaps}, {spec}) {
    const cm = linkerdConfigMaps.find((c) => c.metadata?.name === ROTATION_RECORD && isOwned(c.metadata?.labels, spec.metadata.name))
    const record = cm && rotationRecordOf([cm])
    if (!cm) return {resources: [], diagnostics: []}
    const resource: ObservedResource = {
      address: address('linkerd_trust_rotation', cluster),
      kind: 'linkerd_trust_rotation',
      name: cluster,
      cluster,
      owned: true,
      attributes: {
        namespace: LINKERD_NAMESPACE,
        config_map: ROTATION_RECORD,
        phase: cm.metadata?.annotations?.[ROTATION_PHASE_ANNOTATION] ?? null,
        ...recordAttributes(record),
        restart_control_plane: false,
        restart_pods_started_before: null,
      },
    }
    return {resources: [resource], diagnostics: []}
  },

  async mutate(ctx, m, c) {
    const object = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: ROTATION_RECORD, namespace: LINKERD_NAMESPACE, labels: {...ctx.owner}}}
    if (m === 'delete') return ctx.client.delete(object)
    const after = c.after ?? {}
    // Stamped now, after the bundle or issuer was written (this resource depends on them): a
    // control-plane pod created after this time read them, whatever this apply does next.
    const stampNow = (Object.entries(RECORD_ATTRIBUTES) as [keyof RotationRecord, string][]).find(([, attribute]) => c.after_unknown.includes(attribute))?.[0]
    const record = {...recordOfAttributes(after), ...(stampNow ? {[stampNow]: stamp(new Date())} : {})} as RotationRecord
    const annotations = {[ROTATION_PHASE_ANNOTATION]: String(after.phase ?? '')}
    await ctx.client.apply({...object, metadata: {...object.metadata, annotations}, data: rotationRecordData(record)} as typeof object, true)
    if (after.restart_control_plane === true) await restartControlPlane(ctx.client, ctx.signal)
    if (typeof after.restart_pods_started_before === 'string') await restartMeshedWorkloads(ctx.client, after.restart_pods_started_before, ctx.rolloutWave, ctx.signal)
  },
})
