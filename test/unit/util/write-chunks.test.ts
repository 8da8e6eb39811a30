import {Writable} from 'node:stream'
import {describe, expect, it} from 'vitest'

import {writeChunks} from '../../../src/util/write-chunks.js'

/** A stream that keeps what it is given and, like a pipe to a slow reader, asks to wait now and then. */
function sink(highWaterMark: number): {stream: Writable; text: () => string; writes: () => number} {
  const parts: Buffer[] = []
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, done) {
      parts.push(Buffer.from(chunk))
      setImmediate(done)
    },
  })
  return {stream, text: () => Buffer.concat(parts).toString('utf8'), writes: () => parts.length}
}

describe('writeChunks', () => {
  it('writes every piece in order, multi-byte text intact, in few writes', async () => {
    const pieces = Array.from({length: 5_000}, (_, i) => `  # résumé ${i} ✓ 𝄞 block\n`)
    const out = sink(1024)
    await writeChunks(out.stream, pieces)
    expect(out.text()).toBe(pieces.join(''))
    expect(out.writes()).toBeLessThan(pieces.length / 50)
  })

  it('writes a piece larger than its buffer whole, between the others', async () => {
    const large = 'x'.repeat(200_000) + 'é'
    const out = sink(16 * 1024)
    await writeChunks(out.stream, ['before\n', large, 'after\n'])
    expect(out.text()).toBe(`before\n${large}after\n`)
  })

  it('writes nothing for no pieces', async () => {
    const out = sink(1024)
    await writeChunks(out.stream, [])
    expect(out.writes()).toBe(0)
  })
})
