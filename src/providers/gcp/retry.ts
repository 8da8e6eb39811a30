import {log} from '../../log/logger.js'
import {classify, isPerMinuteQuota, type ApiFailure} from './errors.js'

export interface RetryPolicy {
  readonly attempts: number
  readonly baseMs: number
  readonly maxMs: number
}

export const DEFAULT_RETRY: RetryPolicy = {attempts: 8, baseMs: 500, maxMs: 30_000}

/**
 * Retries what GCP says is transient (429, 5xx, quota, "operation in progress", not ready), waiting
 * as `retryDelayMs` says; everything else fails at once with the API's words.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  onRetry?: (attempt: number, delayMs: number, reason: string) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (e) {
      const f = classify(e)
      if (!f.retryable || attempt >= policy.attempts) throw e
      const delay = retryDelayMs(f, attempt, policy)
      const reason = `${f.status ?? ''} ${f.reason ?? f.message}`.trim()
      log('debug', `retry ${attempt}/${policy.attempts - 1} in ${delay}ms: ${reason}`)
      onRetry?.(attempt, delay, reason)
      await new Promise((r) => setTimeout(r, delay))
    }
  }
}

/** The longest wait mcfed accepts from a server's Retry-After (beyond it, backoff decides). */
const RETRY_AFTER_CAP_MS = 120_000

/**
 * How long to wait before attempt `attempt + 1`: the server's Retry-After when it sent one; for a
 * per-minute quota, until just past the next minute (plus up to a second of jitter, so parallel
 * callers do not all return at once); otherwise exponential backoff with full jitter.
 */
export function retryDelayMs(f: ApiFailure, attempt: number, policy: RetryPolicy, now = Date.now(), random = Math.random): number {
  if (f.retryAfterMs !== undefined && f.retryAfterMs <= RETRY_AFTER_CAP_MS) return f.retryAfterMs
  if (isPerMinuteQuota(f)) return 60_000 - (now % 60_000) + Math.round(random() * 1_000)
  return Math.round(random() * Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1)))
}
