/**
 * Resolves once the event loop has polled for I/O: requests started before it have connected and
 * been written (on loopback a connect completes within one poll), so CPU-bound work that follows
 * runs during their round trips instead of holding them back.
 */
export async function afterIoPoll(): Promise<void> {
  // The first turn may begin part-way through a poll phase; the second follows a whole one.
  await new Promise((resolve) => setImmediate(resolve))
  await new Promise((resolve) => setImmediate(resolve))
}
