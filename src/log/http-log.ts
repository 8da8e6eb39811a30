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
    const line = `${request.method} ${urlOf(request)} ${response.statusCode ?? '?'} ${elapsed(call)}`
    if (!logEnabled('trace')) return log('debug', line)
    const requestBody = text(call?.body ?? [])
    const responseBody: Buffer[] = []
    const push = response.push.bind(response)
    response.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (chunk) responseBody.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), encoding))
      return push(chunk, encoding)
    }
    response.once('end', () => {
      log('debug', line)
      if (requestBody) log('trace', `request body: ${shown(redactBody(requestBody))}`)
      const encoding = response.headers['content-encoding']
      const body = encoding && encoding !== 'identity' ? `(${encoding}, ${Buffer.concat(responseBody).length} bytes)` : shown(redactBody(text(responseBody)))
      log('trace', `response body: ${body}`)
    })
  })
  diagnostics.subscribe('http.client.request.error', (message) => {
    const {request, error} = message as {request: ClientRequest; error: Error}
    log('debug', `${request.method} ${urlOf(request)} failed after ${elapsed(calls.get(request))}: ${error.message}`)
  })
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

function elapsed(call: Call | undefined): string {
  return call ? `${Math.round(performance.now() - call.started)}ms` : ''
}

function text(chunks: Buffer[]): string {
  return Buffer.concat(chunks).toString('utf8')
}

/** Redaction needs the whole body (a cut one is not JSON any more); the log shows its start. */
function shown(body: string): string {
  return body.length > BODY_LIMIT ? `${body.slice(0, BODY_LIMIT)}… (${body.length - BODY_LIMIT} more characters)` : body
}
