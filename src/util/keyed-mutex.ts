import {Mutex} from 'async-mutex'

/**
 * Mutual exclusion by key, several keys at once, always taken in sorted order (no deadlock). GCP
 * allows one peering operation at a time across a network and its peer, so peering changes take
 * the lock of both networks; a write that makes Linkerd's controllers join a federated service
 * takes the lock of every cluster where they would.
 */
export class KeyedMutex {
  private readonly mutexes = new Map<string, Mutex>()

  async withLocks<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const releases: (() => void)[] = []
    try {
      for (const key of [...new Set(keys)].sort()) releases.push(await this.mutex(key).acquire())
      return await fn()
    } finally {
      for (const release of releases.reverse()) release()
    }
  }

  private mutex(key: string): Mutex {
    let m = this.mutexes.get(key)
    if (!m) this.mutexes.set(key, (m = new Mutex()))
    return m
  }
}
