import {createServer, type Socket} from 'node:net'

import {afterEach, describe, expect, test} from 'vitest'

import {loadKubeSdk} from '../../../../src/providers/kube/kube-sdk.js'
import {RawKube} from '../../../../src/providers/kube/raw.js'

const {KubeConfig} = await loadKubeSdk()

/** An API server that was stopped (SIGSTOP): the kernel still accepts connections, nothing ever answers. */
async function stoppedServer(): Promise<{url: string; connections: () => number; close: () => Promise<void>}> {
  const sockets: Socket[] = []
  const server = createServer((s) => void sockets.push(s))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as {port: number}).port
  return {
    url: `https://127.0.0.1:${port}`,
    connections: () => sockets.length,
    close: async () => {
      sockets.forEach((s) => s.destroy())
      await new Promise((r) => server.close(r))
    },
  }
}

let stop: (() => Promise<void>) | undefined
afterEach(async () => stop?.())

describe('the raw client against an API server that never answers', () => {
  // CI's plan against a SIGSTOPped server outlived its test: the socket idle timeout started only
  // once the pool (8 sockets) handed a socket out, so queued LISTs waited wave after wave.
  test('every call of a plan gives up at its own deadline, queued ones without ever connecting', async () => {
    const server = await stoppedServer()
    stop = server.close
    const kc = new KubeConfig()
    kc.loadFromOptions({clusters: [{name: 'stopped', server: server.url, skipTLSVerify: true}], users: [{name: 'u', token: 't'}], contexts: [{name: 'c', cluster: 'stopped', user: 'u'}], currentContext: 'c'})
    const raw = new RawKube(kc, 300)
    const calls = Array.from({length: 20}, () => raw.list('v1', 'ConfigMap', '').then(() => 'answered', (e: Error) => e.name))
    expect(await Promise.all(calls)).toEqual(Array.from({length: 20}, () => 'TimeoutError'))
    // About one pool's worth of connections (8, and one a freed slot lets start as the deadline passes): no second wave.
    expect(server.connections()).toBeLessThan(12)
  })
})
