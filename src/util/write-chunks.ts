import type {Writable} from 'node:stream'

/** Pieces are gathered up to this size per write: 47,000 one-block writes would each cost a syscall. */
const WRITE_BYTES = 64 * 1024
/** The most bytes one UTF-16 code unit becomes in UTF-8 (a surrogate pair is two units, four bytes). */
const MAX_UTF8_PER_UNIT = 3

/**
 * Writes pieces of text as they are produced, waiting for 'drain' when the reader is slower
 * (a pipe into `less`, a CI log), so that a long plan never sits whole in the stream's buffer.
 * Pieces are encoded straight into a buffer rather than joined into a string first: a plan of 300
 * clusters is 33 MB, and each copy of it was a twentieth of the plan's time.
 */
export async function writeChunks(out: Writable, chunks: Iterable<string>): Promise<void> {
  let buffer = Buffer.allocUnsafe(WRITE_BYTES)
  let used = 0
  const send = async (data: string | Buffer) => {
    if (!out.write(data)) await new Promise<void>((resolve) => out.once('drain', resolve))
  }
  const flush = async () => {
    if (used === 0) return
    const full = buffer.subarray(0, used)
    // The stream may keep the bytes until they are written: the next ones go into a new buffer.
    buffer = Buffer.allocUnsafe(WRITE_BYTES)
    used = 0
    await send(full)
  }
  for (const chunk of chunks) {
    if (used + chunk.length * MAX_UTF8_PER_UNIT > WRITE_BYTES) await flush()
    // A piece larger than the buffer goes as it is, after what was gathered before it.
    if (chunk.length * MAX_UTF8_PER_UNIT > WRITE_BYTES) await send(chunk)
    else used += buffer.write(chunk, used)
  }
  await flush()
}
