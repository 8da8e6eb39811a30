import diagnostics from 'node:diagnostics_channel'
import type {ClientRequest, IncomingMessage} from 'node:http'

import {log, logEnabled} from './logger.js'
import {redactBody} from './redact.js'

/** Bodies are cut to this many characters in trace logs, after redaction: a Linkerd CRD is hundreds of kilobytes. */
const BODY_LIMIT = 16 * 1024

interface Call {
  readonly started: number
  readonly body: Buffer[]
}

const calls = new WeakMap<ClientRequest, Call>()
let subscribed = false

/**
 * Logs every HTTP call the process makes, whichever client makes it (the Google clients, the
 * Kubernetes client, mcfed's own), from Node's diagnostics channels: `debug` gives method, URL,
 * status and duration; `trace` adds the bodies, redacted. Nothing is subscribed below `debug`.
 */
export function logHttpCalls(): void {
  if (subscribed || !logEnabled('debug')) return
  subscribed = true
  diagnostics.subscribe('http.client.request.start', (message) => {
    const {request} = message as {request: ClientRequest}
    const call: Call = {started: performance.now(), body: []}
    calls.set(request, call)
    if (logEnabled('trace')) captureRequestBody(request, call)
  })
  diagnostics.subscribe('http.client.response.finish', (message) => {
    const {request, response} = message as {request: ClientRequest; response: IncomingMessage}
    const call = calls.get(request)
    const exchange = {method: request.method, url: urlOf(request), status: response.statusCode ?? '?', started: call?.started}
    if (!logEnabled('trace')) return logExchange(exchange)
    const requestBody = call?.body ?? []
    const responseBody: Buffer[] = []
    const push = response.push.bind(response)
    response.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (chunk) responseBody.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), encoding))
      return push(chunk, encoding)
    }
    response.once('end', () => logExchange({...exchange, requestBody, responseBody, encoding: response.headers['content-encoding']}))
  })
  diagnostics.subscribe('http.client.request.error', (message) => {
    const {request, error} = message as {request: ClientRequest; error: Error}
    logFailedExchange({method: request.method, url: urlOf(request), started: calls.get(request)?.started}, error)
  })
}

/** One call, as `debug` and `trace` show it; also for calls no channel reports (mcfed's HTTP/2). */
export interface Exchange {
  readonly method: string
  readonly url: string
  readonly status: number | string
  /** performance.now() when the call was made. */
  readonly started?: number
  readonly requestBody?: readonly Buffer[] | string
  readonly responseBody?: readonly Buffer[]
  readonly encoding?: string
}

export function logExchange(e: Exchange): void {
  if (!logEnabled('debug')) return
  log('debug', `${e.method} ${e.url} ${e.status} ${elapsed(e.started)}`)
  if (!logEnabled('trace')) return
  const requestBody = typeof e.requestBody === 'string' ? e.requestBody : text(e.requestBody ?? [])
  if (requestBody) log('trace', `request body: ${shown(redactBody(requestBody))}`)
  const responseBody = e.responseBody ?? []
  const body = e.encoding && e.encoding !== 'identity' ? `(${e.encoding}, ${Buffer.concat(responseBody).length} bytes)` : shown(redactBody(text(responseBody)))
  log('trace', `response body: ${body}`)
}

export function logFailedExchange(e: Pick<Exchange, 'method' | 'url' | 'started'>, error: Error): void {
  log('debug', `${e.method} ${e.url} failed after ${elapsed(e.started)}: ${error.message}`)
}

function captureRequestBody(request: ClientRequest, call: Call): void {
  const record = (chunk: unknown) => {
    if (chunk && typeof chunk !== 'function') call.body.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string))
  }
  const write = request.write.bind(request) as (...a: unknown[]) => boolean
  const end = request.end.bind(request) as (...a: unknown[]) => ClientRequest
  request.write = ((chunk: unknown, ...rest: unknown[]) => (record(chunk), write(chunk, ...rest))) as ClientRequest['write']
  request.end = ((chunk?: unknown, ...rest: unknown[]) => (record(chunk), end(chunk, ...rest))) as ClientRequest['end']
}

function urlOf(request: ClientRequest): string {
  const host = request.getHeader('host') ?? request.host
  return `${request.protocol ?? 'http:'}//${String(host)}${request.path}`
}

function elapsed(started: number | undefined): string {
  return started !== undefined ? `${Math.round(performance.now() - started)}ms` : ''
}

function text(chunks: readonly Buffer[]): string {
  return Buffer.concat(chunks).toString('utf8')
}

/** Redaction needs the whole body (a cut one is not JSON any more); the log shows its start. */
function shown(body: string): string {
  return body.length > BODY_LIMIT ? `${body.slice(0, BODY_LIMIT)}… (${body.length - BODY_LIMIT} more characters)` : body
}
