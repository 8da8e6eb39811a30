/**
 * In-process mutual exclusion by key. GCP allows one peering operation at a time across a
 * network and its peer, so peering changes take the lock of both networks, in sorted order.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>()

  async withLocks<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort()
    const releases: (() => void)[] = []
    for (const key of sorted) {
      const previous = this.tails.get(key) ?? Promise.resolve()
      let release!: () => void
      const mine = new Promise<void>((r) => (release = r))
      const tail = previous.then(() => mine)
      this.tails.set(key, tail)
      await previous
      releases.push(() => {
        release()
        if (this.tails.get(key) === tail) this.tails.delete(key)
      })
    }
    try {
      return await fn()
    } finally {
      for (const r of releases.reverse()) r()
    }
  }
}
