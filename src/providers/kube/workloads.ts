import type {KubernetesObject} from '@kubernetes/client-node'

import {UserError} from '../../diagnostics/errors.js'
import {DRILL_RECORD_KEY, DRILL_RECORD_NAMESPACE, decodeRecord, drillRecordName, encodeRecord, type DrillRecord} from '../../drill/record.js'
import type {DeploymentFacts, SelectedService} from '../../drill/workloads.js'
import type {KubeClient} from './client.js'

interface DeploymentObject extends KubernetesObject {
  spec?: {replicas?: number; template?: {metadata?: {labels?: Record<string, string>}}}
  status?: {readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number; observedGeneration?: number; replicas?: number}
}

/** The Deployments of these namespaces, as a drill reads them (one list for all namespaces). */
export async function readDeployments(client: KubeClient, namespaces: readonly string[]): Promise<DeploymentFacts[]> {
  const all = ((await client.listObjects('apps/v1', 'Deployment', '')) ?? []) as DeploymentObject[]
  return all
    .filter((d) => namespaces.includes(d.metadata?.namespace ?? ''))
    .map((d) => ({
      namespace: d.metadata?.namespace ?? '',
      name: d.metadata?.name ?? '',
      replicas: d.spec?.replicas ?? 1,
      readyReplicas: d.status?.readyReplicas ?? 0,
      podLabels: d.spec?.template?.metadata?.labels ?? {},
    }))
}

/** Each service's live selector; a missing Service selects nothing. */
export async function readSelectors(client: KubeClient, services: readonly {service: string; namespace: string}[]): Promise<SelectedService[]> {
  return Promise.all(
    services.map(async (s) => {
      const svc = await client.getService(s.namespace, s.service)
      return {...s, ...(svc?.spec?.selector ? {selector: svc.spec.selector} : {})}
    }),
  )
}

/** Sets a Deployment's replica count (a merge patch of spec.replicas, which kubectl scale also changes). */
export async function scaleDeployment(client: KubeClient, namespace: string, name: string, replicas: number): Promise<void> {
  await client.mergePatch({apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name, namespace}, spec: {replicas}} as KubernetesObject)
}

/** Whether every one of these Deployments runs its recorded count, all updated and ready. */
export async function deploymentsReady(client: KubeClient, wanted: readonly {namespace: string; name: string; replicas: number}[]): Promise<{ready: boolean; waiting: string[]}> {
  const all = ((await client.listObjects('apps/v1', 'Deployment', '')) ?? []) as DeploymentObject[]
  const waiting = wanted.flatMap((w) => {
    const d = all.find((x) => x.metadata?.namespace === w.namespace && x.metadata?.name === w.name)
    if (!d) return [`${w.namespace}/${w.name} is gone`]
    const s = d.status ?? {}
    const settled = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) && (s.updatedReplicas ?? 0) === w.replicas && (s.readyReplicas ?? 0) === w.replicas && (s.replicas ?? 0) === w.replicas
    return settled ? [] : [`${w.namespace}/${w.name} ${s.readyReplicas ?? 0}/${w.replicas} ready`]
  })
  return {ready: waiting.length === 0, waiting}
}

const recordObject = (federation: string) => ({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: drillRecordName(federation), namespace: DRILL_RECORD_NAMESPACE}})
export const recordLocation = (federation: string) => `ConfigMap ${DRILL_RECORD_NAMESPACE}/${drillRecordName(federation)}`

/** The drill record a cluster holds, if a drill is (or was cut off) there. */
export async function readDrillRecord(client: KubeClient, federation: string): Promise<DrillRecord | undefined> {
  const cm = (await client.readObject('v1', 'ConfigMap', drillRecordName(federation), DRILL_RECORD_NAMESPACE)) as {data?: Record<string, string>} | undefined
  if (!cm) return undefined
  return decodeRecord(cm.data?.[DRILL_RECORD_KEY], recordLocation(federation))
}

/**
 * Writes the record before anything is scaled. It is created, never overwritten: a second record
 * would replace the real counts with the zeros of a drill already under way.
 */
export async function writeDrillRecord(client: KubeClient, record: DrillRecord, owner: Readonly<Record<string, string>>): Promise<void> {
  const existing = await readDrillRecord(client, record.federation)
  if (existing) throw new UserError(`${record.cluster} already holds a drill record (${recordLocation(record.federation)}, from ${existing.started})`, 'run `mcfed drill restore` first')
  await client.createIfMissing({...recordObject(record.federation), metadata: {...recordObject(record.federation).metadata, labels: {...owner, 'mcfed.io/drill': 'cluster-loss'}}, data: {[DRILL_RECORD_KEY]: encodeRecord(record)}} as KubernetesObject)
}

export async function deleteDrillRecord(client: KubeClient, federation: string): Promise<void> {
  await client.deleteRendered(recordObject(federation))
}
