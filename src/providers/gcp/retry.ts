import {setTimeout} from 'node:timers/promises'

import pRetry from 'p-retry'

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
 * as `retryDelayMs` says; everything else fails at once with the API's words. p-retry runs the
 * attempts; the wait is mcfed's own, because no retry library honours Retry-After or GCP's
 * per-minute quotas, so p-retry's backoff is set to nothing.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  onRetry?: (attempt: number, delayMs: number, reason: string) => void,
): Promise<T> {
  return pRetry(() => fn(), {
    retries: policy.attempts - 1,
    minTimeout: 0,
    factor: 1,
    randomize: false,
    shouldRetry: async ({error, attemptNumber}) => {
      const f = classify(error)
      if (!f.retryable) return false
      const delay = retryDelayMs(f, attemptNumber, policy)
      const reason = `${f.status ?? ''} ${f.reason ?? f.message}`.trim()
      log('debug', `retry ${attemptNumber}/${policy.attempts - 1} in ${delay}ms: ${reason}`)
      onRetry?.(attemptNumber, delay, reason)
      await setTimeout(delay)
      return true
    },
  })
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
