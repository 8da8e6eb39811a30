import {connect, type ClientHttp2Session, type OutgoingHttpHeaders} from 'node:http2'
import {createSecureContext, type SecureContextOptions} from 'node:tls'

import {logExchange, logFailedExchange} from '../../log/http-log.js'

/** What the raw client needs of an answer. */
export interface RawResponse {
  readonly status: number
  readonly headers: Record<string, string>
  readonly text: string
}

/** As `https.request` takes them (what the kubeconfig gave). */
export type TlsSettings = Pick<SecureContextOptions, 'ca' | 'cert' | 'key'> & {readonly rejectUnauthorized?: boolean; readonly servername?: string}

/** Connection-specific headers HTTP/2 forbids (RFC 9113 §8.2.2). */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host'])

/** Asked on a session the server is closing: the call goes again on a new one. */
const STALE_SESSION = new Set(['ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_INVALID_SESSION'])

/** The server would not speak HTTP/2 (no h2 in ALPN): the caller falls back to HTTP/1.1. */
export class Http2Refused extends Error {}

/**
 * One HTTP/2 connection to an API server, every call of a run multiplexed on it. Over HTTP/1.1 a
 * plan's two dozen concurrent LISTs per cluster took eight TLS connections (240 handshakes at 30
 * clusters, on both ends); kube-apiserver speaks HTTP/2, as kubectl and client-go use it.
 * The session holds the process open only while a call is in flight, as a keep-alive agent does.
 */
export class Http2Connection {
  private session?: ClientHttp2Session
  private readonly inFlight = new WeakMap<ClientHttp2Session, number>()
  private context?: ReturnType<typeof createSecureContext>

  constructor(
    private readonly origin: string,
    private readonly tls: TlsSettings,
  ) {}

  async request(method: string, path: string, headers: Record<string, unknown>, body: string | undefined, signal: AbortSignal): Promise<RawResponse> {
    for (let attempt = 1; ; attempt++) {
      const session = this.open()
      try {
        return await this.send(session, method, path, headers, body, signal)
      } catch (e) {
        // Only a closing session is left for a new one: one call's timeout or reset says nothing
        // of the connection its neighbours share (session failures forget it through its events).
        if (!STALE_SESSION.has((e as {code?: string}).code ?? '')) throw e
        if (this.session === session) this.session = undefined
        if (attempt >= 2) throw e
      }
    }
  }

  private open(): ClientHttp2Session {
    const live = this.session
    if (live && !live.closed && !live.destroyed) return live
    this.context ??= createSecureContext({ca: this.tls.ca, cert: this.tls.cert, key: this.tls.key})
    const session = connect(this.origin, {secureContext: this.context, rejectUnauthorized: this.tls.rejectUnauthorized, ...(this.tls.servername ? {servername: this.tls.servername} : {})})
    const forget = () => this.session === session && (this.session = undefined)
    // A session's own error reaches every call on it as the cause of their streams' errors.
    session.on('error', forget)
    session.on('goaway', forget)
    session.on('close', forget)
    session.unref()
    this.session = session
    return session
  }

  private send(session: ClientHttp2Session, method: string, path: string, headers: Record<string, unknown>, body: string | undefined, signal: AbortSignal): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      let settled = false
      this.inFlight.set(session, (this.inFlight.get(session) ?? 0) + 1)
      session.ref()
      const settle = (f: () => void) => {
        if (settled) return
        settled = true
        const left = (this.inFlight.get(session) ?? 1) - 1
        this.inFlight.set(session, left)
        if (left === 0 && !session.destroyed) session.unref()
        f()
      }
      const out: OutgoingHttpHeaders = {':method': method, ':path': path}
      for (const [k, v] of Object.entries(headers)) if (v !== undefined && !CONNECTION_HEADERS.has(k.toLowerCase())) out[k.toLowerCase()] = v as string
      let stream: ReturnType<ClientHttp2Session['request']>
      try {
        stream = session.request(out, {signal})
      } catch (e) {
        settle(() => reject(e))
        return
      }
      let status = 0
      let answered: Record<string, string> = {}
      const chunks: Buffer[] = []
      const exchange = {method, url: `${this.origin}${path}`, started: performance.now()}
      stream.on('response', (h) => {
        status = Number(h[':status'])
        answered = Object.fromEntries(Object.entries(h).filter(([k]) => !k.startsWith(':')).map(([k, v]) => [k, String(v)]))
      })
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () =>
        settle(() => {
          logExchange({...exchange, status, requestBody: body, responseBody: chunks, encoding: answered['content-encoding']})
          resolve({status, headers: answered, text: Buffer.concat(chunks).toString('utf8')})
        }),
      )
      const fail = (e: Error) =>
        settle(() => {
          logFailedExchange(exchange, e)
          reject(e)
        })
      stream.on('error', (e: Error & {code?: string; cause?: Error & {code?: string}}) => fail(unwrapped(e)))
      stream.on('close', () => fail(new Error(`${method} ${path}: the stream closed without an answer (HTTP/2 code ${stream.rstCode})`)))
      stream.end(body)
    })
  }
}

/** A cancelled stream's cause is what happened (connection refused, a TLS failure); the rest as raised. */
function unwrapped(e: Error & {code?: string; cause?: Error & {code?: string}}): Error {
  const cause = e.code === 'ERR_HTTP2_STREAM_CANCEL' && e.cause ? e.cause : e
  if (cause.code === 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL') return new Http2Refused(cause.message)
  return cause
}
