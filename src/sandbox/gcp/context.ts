import {randomBytes} from 'node:crypto'

import type {FaultRule} from './faults.js'
import {newId, saveState, type OperationRecord, type SimState} from './state.js'

export const COMPUTE_BASE = 'https://www.googleapis.com/compute/v1'
export const CONTAINER_BASE = 'https://container.googleapis.com/v1'

export interface SimulatorOptions {
  /** How long compute operations run before reporting DONE. */
  readonly operationMs: number
  /** How long GKE cluster operations run. */
  readonly clusterOperationMs: number
  /** The longest a compute `wait` call blocks (GCP: about two minutes). */
  readonly waitCapMs: number
  readonly stateFile?: string
  /** Called when a cluster is created, to give it a real endpoint and CA (the sandbox's kube-apiserver). */
  readonly onClusterCreated?: ClusterAttach
  readonly onClusterDeleted?: (project: string, location: string, name: string) => Promise<void>
}

/** Gives a GKE cluster a real endpoint and CA; `podCidr` is its pod range (clusterIpv4CidrBlock). */
export type ClusterAttach = (project: string, location: string, name: string, podCidr: string) => Promise<{endpoint: string; caCertificate: string}>

/** What every handler gets: the state, the clock, the fault that matched this call, and helpers. */
export class SimContext {
  constructor(
    readonly state: SimState,
    readonly options: SimulatorOptions,
    readonly now: () => number = Date.now,
  ) {}

  fault: FaultRule | undefined

  persist(): void {
    saveState(this.options.stateFile, this.state)
  }

  id(): string {
    return newId(this.state)
  }

  /** Starts an operation; an injected fault makes it fail or hang instead of doing its work. */
  startOperation(op: Omit<OperationRecord, 'name' | 'id' | 'start' | 'doneAt'> & {durationMs: number}): OperationRecord {
    const start = this.now()
    const fault = this.fault
    const name =
      op.api === 'compute'
        ? `operation-${start}-${randomBytes(6).toString('hex')}-${randomBytes(4).toString('hex')}`
        : `operation-${start}-${randomBytes(4).toString('hex')}`
    const record: OperationRecord = {
      api: op.api,
      name,
      id: this.id(),
      scope: op.scope,
      operationType: op.operationType,
      targetLink: op.targetLink,
      locks: op.locks,
      start,
      doneAt: fault?.hang ? null : start + op.durationMs,
      ...(fault?.operationError
        ? {error: {code: fault.operationError.code, message: fault.operationError.message, httpStatus: fault.operationError.httpStatus ?? 400}}
        : op.error
          ? {error: op.error}
          : {}),
      ...(op.onDone && !fault?.operationError ? {onDone: op.onDone} : {}),
    }
    this.state.operations[`${op.api}/${name}`] = record
    return record
  }

  /** True when the injected fault means the call's work must not happen. */
  get suppressed(): boolean {
    return Boolean(this.fault?.operationError || this.fault?.hang)
  }

  isDone(op: OperationRecord): boolean {
    return op.doneAt !== null && op.doneAt <= this.now()
  }

  /** Applies the deferred effects of every operation that has finished. */
  settle(): void {
    let changed = false
    for (const op of Object.values(this.state.operations)) {
      if (!op.onDone || !this.isDone(op)) continue
      const key = `${clusterKeyPrefix(op)}${op.onDone.location}/${op.onDone.name}`
      const cluster = this.state.clusters[key]
      if (cluster) {
        if (op.onDone.effect === 'cluster-delete') delete this.state.clusters[key]
        else cluster.status = 'RUNNING'
      }
      delete op.onDone
      changed = true
    }
    if (changed) this.persist()
  }

  fingerprint(): string {
    return randomBytes(8).toString('base64')
  }
}

function clusterKeyPrefix(op: OperationRecord): string {
  // Container operations' targetLink is .../projects/P/locations/L/clusters/C.
  const m = /projects\/([^/]+)\//.exec(op.targetLink)
  return m ? `${m[1]}/` : ''
}
