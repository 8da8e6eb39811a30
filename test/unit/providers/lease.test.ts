import {describe, expect, test} from 'vitest'

import {FederationLease, withLease, type LeaseHolder, type LeaseStore} from '../../../src/providers/lease.js'

/** A store in memory with the compare-and-swap the real ones have; `interfere` writes between a read and a write. */
class MemoryStore implements LeaseStore {
  readonly where = 'memory'
  lease: LeaseHolder | undefined
  version = 0
  writes = 0
  interfere: (() => void) | undefined

  async read() {
    return {lease: this.lease, version: String(this.version)}
  }

  async write(version: string, lease: LeaseHolder | undefined) {
    this.interfere?.()
    this.interfere = undefined
    if (version !== String(this.version)) return false
    this.writes++
    this.version++
    this.lease = lease
    return true
  }
}

const options = {federation: 'f', operation: 'apply', ttlMs: 60_000, timeoutMs: 0, pollMs: 10}
const foreign = (expiresInMs: number): LeaseHolder => ({holder: 'other@elsewhere:1', operation: 'apply', acquired_at: new Date().toISOString(), expires_at: new Date(Date.now() + expiresInMs).toISOString()})

describe('the federation lease', () => {
  test('is taken, held while the work runs, and given back', async () => {
    const store = new MemoryStore()
    const seen = await withLease(new FederationLease(store, options), async () => store.lease?.operation)
    expect(seen).toBe('apply')
    expect(store.lease).toBeUndefined()
  })

  test('held by a live run elsewhere: refused at once with who holds it and where', async () => {
    const store = new MemoryStore()
    store.lease = foreign(60_000)
    await expect(new FederationLease(store, options).acquire()).rejects.toThrow('federation f is locked by other@elsewhere:1 (apply since')
    expect(store.writes).toBe(0)
  })

  test('waits up to --lock-timeout for the holder to finish', async () => {
    const store = new MemoryStore()
    store.lease = foreign(60_000)
    setTimeout(() => (store.lease = undefined), 50)
    await new FederationLease(store, {...options, timeoutMs: 2_000}).acquire()
    expect(store.lease).toMatchObject({operation: 'apply'})
  })

  test('an expired lease is taken over', async () => {
    const store = new MemoryStore()
    store.lease = foreign(-1)
    await new FederationLease(store, options).acquire()
    expect(store.lease!.holder).not.toBe('other@elsewhere:1')
  })

  test('losing the race to another writer means reading again, and then waiting for it', async () => {
    const store = new MemoryStore()
    store.interfere = () => {
      store.version++
      store.lease = foreign(60_000)
    }
    await expect(new FederationLease(store, options).acquire()).rejects.toThrow('locked by other@elsewhere:1')
  })

  test('release leaves a lease that is not ours alone', async () => {
    const store = new MemoryStore()
    const lease = new FederationLease(store, options)
    await lease.acquire()
    store.lease = foreign(60_000)
    await lease.release()
    expect(store.lease.holder).toBe('other@elsewhere:1')
  })
})
