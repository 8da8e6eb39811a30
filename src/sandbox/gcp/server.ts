import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

import {computeRoutes} from './compute.js'
import {containerRoutes} from './container.js'
import {secretManagerRoutes} from './secret-manager.js'
import {SimContext, type ClusterAttach, type SimulatorOptions} from './context.js'
import {GoogleApiError} from './errors.js'
import {Faults, type FaultRule} from './faults.js'
import {applyFieldMask, requestedFieldMask, type FieldMask} from './field-mask.js'
import {match} from './router.js'
import {emptyState, loadState, saveState} from './state.js'
import {computeOperationView} from './views.js'

const ROUTES = [...computeRoutes, ...containerRoutes, ...secretManagerRoutes]

export interface GcpSimulator {
  /** Base URL, e.g. `http://127.0.0.1:8089`. */
  readonly url: string
  readonly port: number
  readonly faults: Faults
  /** Calls served per route name since start or the last reset. */
  calls(): Record<string, number>
  resetCalls(): void
  /** Gives every cluster in the state new access details (after a sandbox restart). */
  reattachClusters(attach: ClusterAttach): Promise<void>
  close(): Promise<void>
}

export const DEFAULT_OPTIONS: SimulatorOptions = {operationMs: 50, clusterOperationMs: 300, waitCapMs: 10_000}

/**
 * A local HTTP server speaking the compute v1 and container v1 REST subset mcfed uses, with GCP's
 * semantics and error bodies, so the real client libraries and gcloud can talk to it. Listens on
 * 127.0.0.1 only. `/__admin/*` is the test interface: faults, call counts, reset.
 */
export async function startGcpSimulator(options: Partial<SimulatorOptions> & {port?: number} = {}): Promise<GcpSimulator> {
  const opts: SimulatorOptions = {...DEFAULT_OPTIONS, ...options}
  const ctx = new SimContext(loadState(opts.stateFile), opts)
  const faults = new Faults()
  let calls: Record<string, number> = {}

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => send(res, 500, new GoogleApiError(500, 'backendError', `internal simulator error: ${(e as Error).message}`).body()))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const method = (req.method ?? 'GET').toUpperCase()
    const raw = await readBody(req)
    if (url.pathname.startsWith('/__admin/')) return admin(url.pathname, method, raw, res)
    const found = match(ROUTES, method, url.pathname)
    if (!found) {
      return send(res, 404, new GoogleApiError(404, 'notFound', `The sandbox does not serve ${method} ${url.pathname}`).body())
    }
    calls[found.route.name] = (calls[found.route.name] ?? 0) + 1
    const fault = faults.take(method, url.pathname, found.route.name)
    if (fault?.latencyMs) await faults.delay(fault.latencyMs)
    const injected = fault?.status ? new GoogleApiError(fault.status, fault.reason ?? defaultReason(fault.status), fault.message ?? `injected fault ${fault.status}`) : undefined
    const injectedHeaders: Record<string, string> = fault?.retryAfterSeconds !== undefined ? {'retry-after': String(fault.retryAfterSeconds)} : {}
    if (injected && !fault?.afterServing) return send(res, injected.status, injected.body(), injectedHeaders)
    let body: unknown
    try {
      body = raw.length ? JSON.parse(raw) : undefined
    } catch {
      return send(res, 400, new GoogleApiError(400, 'parseError', 'This API does not support parsing form-encoded input.').body())
    }
    let mask: FieldMask | undefined
    try {
      mask = requestedFieldMask(req.headers, url.searchParams)
    } catch (e) {
      if (e instanceof GoogleApiError) return send(res, e.status, e.body())
      throw e
    }
    ctx.settle()
    const requestId = method !== 'GET' ? url.searchParams.get('requestId') : null
    const replay = requestId ? ctx.state.operations[ctx.state.requests[requestId] ?? ''] : undefined
    if (replay) return send(res, 200, computeOperationView(ctx, found.params.project!, replay))
    ctx.fault = fault
    try {
      const out = await found.route.handler(ctx, {method, params: found.params, query: url.searchParams, body})
      const opName = (out as {kind?: string; name?: string}).kind === 'compute#operation' ? (out as {name: string}).name : undefined
      if (requestId && opName) {
        ctx.state.requests[requestId] = `compute/${opName}`
        ctx.persist()
      }
      if (injected) return send(res, injected.status, injected.body(), injectedHeaders)
      send(res, 200, mask ? applyFieldMask(out, mask) : out)
    } catch (e) {
      if (e instanceof GoogleApiError) return send(res, e.status, e.body())
      throw e
    } finally {
      ctx.fault = undefined
    }
  }

  function admin(path: string, method: string, raw: string, res: ServerResponse): void {
    if (path === '/__admin/health') return send(res, 200, {ok: true})
    if (path === '/__admin/calls' && method === 'GET') return send(res, 200, calls)
    if (path === '/__admin/calls' && method === 'DELETE') {
      calls = {}
      return send(res, 200, {})
    }
    if (path === '/__admin/faults' && method === 'POST') return send(res, 200, {id: faults.add(JSON.parse(raw) as FaultRule)})
    if (path === '/__admin/faults' && method === 'DELETE') {
      faults.clear()
      return send(res, 200, {})
    }
    if (path === '/__admin/faults' && method === 'GET') return send(res, 200, faults.list())
    if (path === '/__admin/state' && method === 'GET') {
      ctx.settle()
      return send(res, 200, ctx.state)
    }
    if (path === '/__admin/reset' && method === 'POST') {
      Object.assign(ctx.state, emptyState())
      saveState(opts.stateFile, ctx.state)
      faults.clear()
      calls = {}
      return send(res, 200, {})
    }
    send(res, 404, {error: {code: 404, message: `no admin route ${method} ${path}`}})
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    faults,
    calls: () => ({...calls}),
    async reattachClusters(attach) {
      for (const [key, c] of Object.entries(ctx.state.clusters)) {
        const access = await attach(key.split('/')[0]!, c.location, c.name, c.clusterIpv4CidrBlock)
        c.endpoint = access.endpoint
        c.caCertificate = access.caCertificate
      }
      ctx.persist()
    },
    resetCalls: () => {
      calls = {}
    },
    close: () =>
      new Promise<void>((resolve) => {
        // The Google clients keep connections alive; without this, close() waits for them.
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function defaultReason(status: number): string {
  return status === 429 ? 'rateLimitExceeded' : status === 503 ? 'backendError' : status >= 500 ? 'internalError' : 'badRequest'
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body ?? {})
  res.writeHead(status, {'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers})
  res.end(text)
}
