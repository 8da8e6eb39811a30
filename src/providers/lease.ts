import {hostname} from 'node:os'
import {setTimeout} from 'node:timers/promises'

import {UserError} from '../diagnostics/errors.js'
import {isAlive} from '../util/process.js'

/**
 * A lease on the federation that every writing command holds from before it reads until it
 * finishes, whichever layers it writes. Where the lease lives is a store's business (the GCP
 * project's metadata, or a Kubernetes Lease when the federation has no GCP); taking, renewing and
 * releasing it is the same everywhere. A lease expires unless renewed, so a killed run blocks
 * others for at most one TTL, and a run killed on this machine not even that.
 */
export interface LeaseHolder {
  readonly holder: string
  readonly operation: string
  readonly acquired_at: string
  readonly expires_at: string
}

/** Compare-and-swap storage for one lease. */
export interface LeaseStore {
  /** Where the lease lives, for messages: `project my-project`, `cluster west`. */
  readonly where: string
  read(): Promise<{lease: LeaseHolder | undefined; version: string}>
  /** Writes (or, with undefined, removes) the lease if nobody wrote since `version`; false if somebody did. */
  write(version: string, lease: LeaseHolder | undefined): Promise<boolean>
}

export interface LeaseOptions {
  readonly federation: string
  readonly operation: string
  readonly ttlMs: number
  /** How long to wait for another holder before giving up (0: fail at once). */
  readonly timeoutMs: number
  readonly pollMs: number
}

export class FederationLease {
  private heartbeat: NodeJS.Timeout | undefined
  private readonly holder = `${process.env.USER ?? 'user'}@${hostname()}:${process.pid}`

  constructor(
    private readonly store: LeaseStore,
    private readonly o: LeaseOptions,
  ) {}

  async acquire(): Promise<void> {
    const start = Date.now()
    for (;;) {
      const {lease: current, version} = await this.store.read()
      if (current && Date.parse(current.expires_at) > Date.now() && current.holder !== this.holder && !deadOnThisHost(current.holder)) {
        if (Date.now() - start >= this.o.timeoutMs) {
          throw new UserError(
            `federation ${this.o.federation} is locked by ${current.holder} (${current.operation} since ${current.acquired_at}, lease until ${current.expires_at}, held in ${this.store.where})`,
            'wait for that run to finish, or pass --lock-timeout to wait for it; a lease from a killed run expires on its own',
          )
        }
        await setTimeout(this.o.pollMs)
        continue
      }
      if (await this.store.write(version, this.lease())) break
    }
    this.heartbeat = setInterval(() => void this.renew().catch(() => undefined), Math.max(1_000, this.o.ttlMs / 3))
    this.heartbeat.unref()
  }

  async release(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat)
    this.heartbeat = undefined
    for (let i = 0; i < 5; i++) {
      const {lease: current, version} = await this.store.read()
      if (!current || current.holder !== this.holder) return
      if (await this.store.write(version, undefined)) return
    }
  }

  private async renew(): Promise<void> {
    const {lease: current, version} = await this.store.read()
    if (current?.holder === this.holder) await this.store.write(version, {...this.lease(), acquired_at: current.acquired_at})
  }

  private lease(): LeaseHolder {
    const now = Date.now()
    return {holder: this.holder, operation: this.o.operation, acquired_at: new Date(now).toISOString(), expires_at: new Date(now + this.o.ttlMs).toISOString()}
  }
}

/** Runs `fn` holding the lease; the lease goes even if the process exits on a signal. */
export async function withLease<T>(lease: FederationLease, fn: () => Promise<T>): Promise<T> {
  await lease.acquire()
  const release = () => void lease.release()
  process.once('exit', release)
  try {
    return await fn()
  } finally {
    process.off('exit', release)
    await lease.release()
  }
}

/** A holder on this machine whose process is gone (killed mid-apply) cannot renew: take over. */
function deadOnThisHost(holder: string): boolean {
  const m = /@(.+):(\d+)$/.exec(holder)
  return m !== null && m[1] === hostname() && !isAlive(Number(m[2]))
}

export function parseLease(value: string | undefined): LeaseHolder | undefined {
  if (!value) return undefined
  try {
    return JSON.parse(value) as LeaseHolder
  } catch {
    return undefined
  }
}

