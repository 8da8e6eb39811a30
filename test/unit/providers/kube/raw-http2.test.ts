import {createServer as createHttp1Server} from 'node:https'
import {createSecureServer} from 'node:http2'
import type {Server} from 'node:net'

import {afterEach, describe, expect, test} from 'vitest'

import {YEAR_MS, selfSignedCa} from '../../../../src/providers/certs/x509.js'
import {loadKubeSdk} from '../../../../src/providers/kube/kube-sdk.js'
import {RawKube} from '../../../../src/providers/kube/raw.js'

const {KubeConfig} = await loadKubeSdk()
const tls = await selfSignedCa({commonName: '127.0.0.1', validityMs: YEAR_MS, pathLength: 0})
const LIST = JSON.stringify({kind: 'ConfigMapList', items: [{metadata: {name: 'a', namespace: 'n'}}]})

function client(url: string, timeoutMs = 5_000): RawKube {
  const kc = new KubeConfig()
  kc.loadFromOptions({clusters: [{name: 's', server: url, skipTLSVerify: true}], users: [{name: 'u', token: 't'}], contexts: [{name: 'c', cluster: 's', user: 'u'}], currentContext: 'c'})
  return new RawKube(kc, timeoutMs)
}

async function listening(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  // The client keeps its session open (unreferenced) for the rest of the run: close it from here.
  const sessions: {destroy: () => void}[] = []
  server.on('session', (s: {destroy: () => void}) => void sessions.push(s))
  stops.push(() => new Promise((r) => {
    server.close(() => r())
    sessions.forEach((s) => s.destroy())
  }))
  return `https://127.0.0.1:${(server.address() as {port: number}).port}`
}

const stops: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(stops.splice(0).map((s) => s()))
})

describe('the raw client over HTTP/2', () => {
  test("a plan's concurrent calls share one connection, each answered, with the token sent", async () => {
    let connections = 0
    const seen: string[] = []
    const server = createSecureServer({cert: tls.certPem, key: tls.keyPem}, (req, res) => {
      seen.push(`${req.headers.authorization} ${req.headers[':path']}`)
      res.setHeader('content-type', 'application/json')
      res.end(LIST)
    })
    server.on('session', () => connections++)
    const raw = client(await listening(server))
    const lists = await Promise.all(Array.from({length: 20}, (_, i) => raw.list('v1', 'ConfigMap', `app=x${i}`)))
    expect(lists.map((l) => l?.[0]?.metadata?.name)).toEqual(Array.from({length: 20}, () => 'a'))
    expect(lists[0]?.[0]).toMatchObject({apiVersion: 'v1', kind: 'ConfigMap'})
    expect(connections).toBe(1)
    expect(seen).toContain('Bearer t /api/v1/configmaps?labelSelector=app%3Dx7')
  })

  test("the server's errors keep their status and body", async () => {
    const server = createSecureServer({cert: tls.certPem, key: tls.keyPem}, (_req, res) => {
      res.statusCode = 403
      res.end(JSON.stringify({kind: 'Status', reason: 'Forbidden', message: 'configmaps is forbidden'}))
    })
    const raw = client(await listening(server))
    await expect(raw.list('v1', 'ConfigMap', '')).rejects.toMatchObject({code: 403, body: expect.stringContaining('configmaps is forbidden')})
  })

  test('a server without HTTP/2 is read over HTTP/1.1', async () => {
    const server = createHttp1Server({cert: tls.certPem, key: tls.keyPem}, (_req, res) => res.end(LIST))
    const raw = client(await listening(server))
    expect((await raw.list('v1', 'ConfigMap', ''))?.map((o) => o.metadata?.name)).toEqual(['a'])
    expect((await raw.list('v1', 'ConfigMap', 'x=y'))?.map((o) => o.metadata?.name)).toEqual(['a'])
  })

  test('a refused connection is reported as what happened, not as a cancelled stream', async () => {
    const server = createSecureServer({cert: tls.certPem, key: tls.keyPem})
    const url = await listening(server)
    await stops.pop()!()
    await expect(client(url).list('v1', 'ConfigMap', '')).rejects.toMatchObject({code: 'ECONNREFUSED'})
  })
})
