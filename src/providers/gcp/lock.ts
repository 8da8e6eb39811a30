import {randomUUID} from 'node:crypto'
import {hostname} from 'node:os'

import {UserError} from '../../diagnostics/errors.js'
import {isAlive} from '../../util/process.js'
import type {GcpClients} from './client.js'
import {classify, toProviderError} from './errors.js'
import {awaitComputeOperation, type WaitOptions} from './operations.js'
import {withRetry} from './retry.js'

/**
 * A lease on the federation, held in the project's common instance metadata under
 * `mcfed-lock-<federation>`. Writes carry the metadata fingerprint, so two writers race safely:
 * the loser gets 412 and re-reads (compare-and-swap, like a GCS `ifGenerationMatch` create). It
 * needs no bucket or network to exist yet and uses the compute API mcfed already talks to.
 * A lease expires unless renewed, so a killed process blocks others for at most one TTL.
 */
export interface LeaseHolder {
  readonly holder: string
  readonly operation: string
  readonly acquired_at: string
  readonly expires_at: string
}

export interface LockOptions {
  readonly federation: string
  readonly project: string
  readonly operation: string
  readonly ttlMs: number
  /** How long to wait for another holder before giving up (0: fail at once). */
  readonly timeoutMs: number
  readonly pollMs: number
  readonly wait: WaitOptions
}

export class ProjectMetadataLock {
  private heartbeat: NodeJS.Timeout | undefined
  private readonly key: string
  private readonly holder = `${process.env.USER ?? 'user'}@${hostname()}:${process.pid}`

  constructor(
    private readonly clients: GcpClients,
    private readonly o: LockOptions,
  ) {
    this.key = `mcfed-lock-${o.federation}`
  }

  async acquire(): Promise<void> {
    const start = Date.now()
    for (;;) {
      const {items, fingerprint} = await this.read()
      const current = parse(items.find((i) => i.key === this.key)?.value)
      if (current && Date.parse(current.expires_at) > Date.now() && current.holder !== this.holder && !deadOnThisHost(current.holder)) {
        if (Date.now() - start >= this.o.timeoutMs) {
          throw new UserError(
            `federation ${this.o.federation} is locked by ${current.holder} (${current.operation} since ${current.acquired_at}, lease until ${current.expires_at})`,
            'wait for that run to finish, or pass --lock-timeout to wait for it; a lease from a killed run expires on its own',
          )
        }
        await sleep(this.o.pollMs)
        continue
      }
      if (await this.write(items, fingerprint, this.lease())) break
    }
    this.heartbeat = setInterval(() => void this.renew().catch(() => undefined), Math.max(1_000, this.o.ttlMs / 3))
    this.heartbeat.unref()
  }

  async release(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat)
    this.heartbeat = undefined
    for (let i = 0; i < 5; i++) {
      const {items, fingerprint} = await this.read()
      const current = parse(items.find((x) => x.key === this.key)?.value)
      if (!current || current.holder !== this.holder) return
      if (await this.write(items, fingerprint, undefined)) return
    }
  }

  private async renew(): Promise<void> {
    const {items, fingerprint} = await this.read()
    const current = parse(items.find((x) => x.key === this.key)?.value)
    if (current?.holder === this.holder) await this.write(items, fingerprint, {...this.lease(), acquired_at: current.acquired_at})
  }

  private lease(): LeaseHolder {
    const now = Date.now()
    return {holder: this.holder, operation: this.o.operation, acquired_at: new Date(now).toISOString(), expires_at: new Date(now + this.o.ttlMs).toISOString()}
  }

  private async read(): Promise<{items: {key: string; value: string}[]; fingerprint: string}> {
    try {
      const [project] = await withRetry(() => this.clients.projects.get({project: this.o.project}), this.o.wait.retry)
      const md = project.commonInstanceMetadata
      return {items: (md?.items ?? []).map((i) => ({key: i.key ?? '', value: i.value ?? ''})), fingerprint: md?.fingerprint ?? ''}
    } catch (e) {
      throw toProviderError(`project ${this.o.project}`, 'reading the lock in', e)
    }
  }

  /** Compare-and-swap; false when someone else wrote first. */
  private async write(items: {key: string; value: string}[], fingerprint: string, lease: LeaseHolder | undefined): Promise<boolean> {
    const next = items.filter((i) => i.key !== this.key)
    if (lease) next.push({key: this.key, value: JSON.stringify(lease)})
    try {
      // One requestId across retries: a write whose answer was lost is replayed, not made twice.
      const requestId = randomUUID()
      const [op] = await withRetry(
        () => this.clients.projects.setCommonInstanceMetadata({project: this.o.project, requestId, metadataResource: {fingerprint, items: next}}),
        this.o.wait.retry,
      )
      await awaitComputeOperation(this.clients, this.o.project, `lock ${this.key}`, op, this.o.wait)
      return true
    } catch (e) {
      if (classify(e).status === 412) return false
      throw toProviderError(`project ${this.o.project}`, 'writing the lock in', e)
    }
  }
}

/** A holder on this machine whose process is gone (killed mid-apply) cannot renew: take over. */
function deadOnThisHost(holder: string): boolean {
  const m = /@(.+):(\d+)$/.exec(holder)
  return m !== null && m[1] === hostname() && !isAlive(Number(m[2]))
}

function parse(value: string | undefined): LeaseHolder | undefined {
  if (!value) return undefined
  try {
    return JSON.parse(value) as LeaseHolder
  } catch {
    return undefined
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
