import type {Writable} from 'node:stream'

/** Pieces are gathered up to this size per write: 47,000 one-block writes would each cost a syscall. */
const WRITE_BYTES = 64 * 1024

/**
 * Writes pieces of text as they are produced, waiting for 'drain' when the reader is slower
 * (a pipe into `less`, a CI log), so that a long plan never sits whole in the stream's buffer.
 */
export async function writeChunks(out: Writable, chunks: Iterable<string>): Promise<void> {
  let pending: string[] = []
  let size = 0
  const flush = async () => {
    if (pending.length === 0) return
    const text = pending.join('')
    pending = []
    size = 0
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve))
  }
  for (const chunk of chunks) {
    pending.push(chunk)
    size += chunk.length
    if (size >= WRITE_BYTES) await flush()
  }
  await flush()
}
