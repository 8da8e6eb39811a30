import {UserError} from '../diagnostics/errors.js'

/** A Deployment's replica count, as the drill found it before taking the cluster down. */
export interface RecordedDeployment {
  readonly namespace: string
  readonly name: string
  readonly replicas: number
}

/**
 * What a drill writes into the cluster it takes down before it changes anything: enough to put
 * every Deployment back as it was, whoever runs the restore and however the drill ended.
 */
export interface DrillRecord {
  readonly format: 1
  readonly federation: string
  readonly cluster: string
  readonly started: string
  readonly services: readonly string[]
  readonly deployments: readonly RecordedDeployment[]
}

/** Where the record lives: a namespace every cluster has, a name per federation. */
export const DRILL_RECORD_NAMESPACE = 'default'
export const DRILL_RECORD_KEY = 'record.json'
export const drillRecordName = (federation: string) => `mcfed-drill-${federation}`

export function encodeRecord(r: DrillRecord): string {
  const deployments = [...r.deployments].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))
  return JSON.stringify({...r, deployments}, null, 2) + '\n'
}

/** The record a ConfigMap holds; an error naming the ConfigMap when it is not one mcfed wrote. */
export function decodeRecord(text: string | undefined, where: string): DrillRecord {
  let r: Partial<DrillRecord>
  try {
    r = JSON.parse(text ?? '') as Partial<DrillRecord>
  } catch {
    throw new UserError(`${where} does not hold a drill record (no JSON under ${DRILL_RECORD_KEY})`, `restore its Deployments by hand (kubectl scale), then delete ${where}`)
  }
  const valid =
    r.format === 1 &&
    typeof r.cluster === 'string' &&
    Array.isArray(r.deployments) &&
    r.deployments.every((d) => typeof d?.namespace === 'string' && typeof d.name === 'string' && Number.isInteger(d.replicas) && d.replicas >= 0)
  if (!valid) throw new UserError(`${where} holds a drill record mcfed cannot read (format ${String(r.format)})`, `restore its Deployments by hand (kubectl scale), then delete ${where}`)
  return r as DrillRecord
}

/** A Deployment's replica count now, or its absence. */
export interface LiveReplicas {
  readonly namespace: string
  readonly name: string
  readonly replicas: number
}

export interface RestoreStep {
  readonly namespace: string
  readonly name: string
  readonly from: number
  readonly to: number
}

/**
 * What a restore changes: every recorded Deployment whose replica count differs from the record
 * goes back to the recorded count (never to 1: one pod of three leaves the cluster a seventh of a
 * federated service's traffic instead of a third). Deployments deleted since are named, not made.
 */
export function restoreSteps(record: DrillRecord, live: readonly LiveReplicas[]): {steps: RestoreStep[]; gone: RecordedDeployment[]} {
  const steps: RestoreStep[] = []
  const gone: RecordedDeployment[] = []
  for (const d of record.deployments) {
    const now = live.find((l) => l.namespace === d.namespace && l.name === d.name)
    if (!now) gone.push(d)
    else if (now.replicas !== d.replicas) steps.push({namespace: d.namespace, name: d.name, from: now.replicas, to: d.replicas})
  }
  return {steps, gone}
}
