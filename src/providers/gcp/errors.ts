import {ProviderError} from '../../diagnostics/errors.js'

/** What mcfed needs to know about a failed GCP call, whatever shape the client threw it in. */
export interface ApiFailure {
  readonly status?: number
  readonly reason?: string
  readonly message: string
  readonly retryable: boolean
  /** The server's `Retry-After`, when it sent one. */
  readonly retryAfterMs?: number
}

/**
 * The REST clients (gax 5 + gaxios 7) throw a GaxiosError whose `status` is the HTTP status and
 * whose message is the raw JSON body; newer ones map to gRPC codes. Both shapes are read here.
 */
export function classify(err: unknown): ApiFailure {
  const e = err as {status?: unknown; code?: unknown; message?: unknown; response?: {status?: number; headers?: {get?: (name: string) => string | null}}}
  const text = typeof e?.message === 'string' ? e.message : String(err)
  let status = typeof e?.response?.status === 'number' ? e.response.status : typeof e?.status === 'number' ? e.status : undefined
  if (status === undefined && typeof e?.code === 'number') status = e.code >= 100 ? e.code : GRPC_TO_HTTP[e.code]
  let reason: string | undefined
  let message = text
  try {
    const body = JSON.parse(text) as {error?: {message?: string; errors?: {reason?: string}[]; status?: string}}
    if (body.error) {
      message = body.error.message ?? text
      reason = body.error.errors?.[0]?.reason ?? body.error.status
    }
  } catch {
    // Not a JSON body: a transport error such as ECONNREFUSED.
  }
  const code = typeof e?.code === 'string' ? e.code : undefined
  const retryAfterMs = parseRetryAfter(e?.response?.headers?.get?.('retry-after'))
  return {
    status,
    reason,
    message: code && !message.includes(code) ? `${code}: ${message}` : message,
    retryable: isRetryable(status, reason, message, code),
    ...(retryAfterMs === undefined ? {} : {retryAfterMs}),
  }
}

const GRPC_TO_HTTP: Record<number, number> = {3: 400, 5: 404, 6: 409, 7: 403, 8: 429, 9: 400, 10: 409, 13: 500, 14: 503, 4: 504}

/** `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3). */
function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** A per-minute quota: its bucket refills at the minute, so retrying sooner only burns attempts. */
export function isPerMinuteQuota(f: ApiFailure): boolean {
  return (f.status === 429 || f.status === 403) && /per minute/i.test(f.message)
}

/** The same set Terraform's Google provider retries (error_retry_predicates.go). */
function isRetryable(status: number | undefined, reason: string | undefined, message: string, code: string | undefined): boolean {
  if (code && ['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNREFUSED', 'EAI_AGAIN'].includes(code)) return true
  if (status === undefined) return false
  if ([429, 500, 502, 503, 504].includes(status)) return true
  if (status === 403 && (reason === 'rateLimitExceeded' || /per minute|CONCURRENT_OPERATIONS/i.test(message))) return true
  if (status === 400 && /operation in progress|resourceNotReady|is not ready|incompatible operation|Please wait and try again/i.test(`${reason} ${message}`)) return true
  if (status === 409 && /operationInProgress/i.test(`${reason}`)) return true
  return false
}

/** Hints for the failures a person can fix. */
function hintFor(f: ApiFailure): string | undefined {
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(f.message)) {
    return 'nothing answers at the API endpoint: start the sandbox (`mcfed sandbox up`), check --gcp-endpoint, or check the network'
  }
  if (f.reason === 'accessNotConfigured' || /has not been used in project|SERVICE_DISABLED/.test(f.message)) {
    return 'enable the API: gcloud services enable compute.googleapis.com container.googleapis.com'
  }
  if (f.status === 403) return 'the credentials lack a permission: mcfed needs roles/compute.networkAdmin, roles/compute.securityAdmin and roles/container.clusterAdmin'
  if (f.status === 401) return 'refresh Application Default Credentials: gcloud auth application-default login'
  if (f.status === 429) return 'the project hit an API rate limit; retry later or lower --parallelism'
  return undefined
}

/** A ProviderError that names the resource and keeps the API's own reason and words. */
export function toProviderError(resource: string, action: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err
  const f = classify(err)
  return new ProviderError(
    `${action} ${resource} failed: ${f.message}${f.reason ? ` (${f.reason})` : ''}`,
    {resource, status: f.status, reason: f.reason, hint: hintFor(f), retryable: f.retryable},
    {cause: err},
  )
}
