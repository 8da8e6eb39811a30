import {classify} from './errors.js'

export interface RetryPolicy {
  readonly attempts: number
  readonly baseMs: number
  readonly maxMs: number
}

export const DEFAULT_RETRY: RetryPolicy = {attempts: 8, baseMs: 500, maxMs: 30_000}

/**
 * Retries what GCP says is transient (429, 5xx, "operation in progress", not ready) with
 * exponential backoff and full jitter; everything else fails at once with the API's words.
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
      const delay = Math.round(Math.random() * Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1)))
      onRetry?.(attempt, delay, `${f.status ?? ''} ${f.reason ?? f.message}`.trim())
      await new Promise((r) => setTimeout(r, delay))
    }
  }
}
