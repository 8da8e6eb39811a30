import {describe, expect, test} from 'vitest'

import {classify, toProviderError} from '../../../../src/providers/gcp/errors.js'
import {retryDelayMs, withRetry} from '../../../../src/providers/gcp/retry.js'

/** The shape the REST clients throw (gaxios 7): HTTP status in `status`, the raw JSON body as message. */
const gaxios = (status: number, reason: string, message: string) =>
  Object.assign(new Error(JSON.stringify({error: {code: status, message, errors: [{reason, message}]}})), {status, code: status, response: {status}})

describe('GCP error classification', () => {
  test.each([
    [429, 'rateLimitExceeded', 'Quota exceeded', true],
    [503, 'backendError', 'unavailable', true],
    [400, 'badRequest', 'There is a peering operation in progress on the local or peer network. Try again later.', true],
    [400, 'failedPrecondition', 'Cluster is running incompatible operation operation-1.', true],
    [403, 'rateLimitExceeded', 'Quota exceeded for quota group', true],
    [400, 'invalid', 'Invalid value for field', false],
    [404, 'notFound', 'not found', false],
    [409, 'alreadyExists', 'already exists', false],
  ])('%i %s is retryable: %s', (status, reason, message, retryable) => {
    expect(classify(gaxios(status, reason, message))).toEqual({status, reason, message, retryable})
  })

  test('gRPC-coded errors map to HTTP statuses', () => {
    expect(classify(Object.assign(new Error('x'), {code: 14}))).toMatchObject({status: 503, retryable: true})
    expect(classify(Object.assign(new Error('x'), {code: 5}))).toMatchObject({status: 404, retryable: false})
  })

  test('errors name the resource, keep the API reason, and carry a hint a person can act on', () => {
    const e = toProviderError('gcp_network.west', 'creating', gaxios(403, 'accessNotConfigured', 'Compute Engine API has not been used in project 1 before or it is disabled.'))
    expect(e.message).toBe('creating gcp_network.west failed: Compute Engine API has not been used in project 1 before or it is disabled. (accessNotConfigured)')
    expect(e.details).toMatchObject({resource: 'gcp_network.west', status: 403, reason: 'accessNotConfigured'})
    expect(e.details.hint).toContain('gcloud services enable compute.googleapis.com')
    const refused = toProviderError('project p', 'listing networks in', Object.assign(new Error('request failed, reason: connect ECONNREFUSED 127.0.0.1:1'), {code: 'ECONNREFUSED'}))
    expect(refused.details).toMatchObject({retryable: true})
    expect(refused.details.hint).toContain('mcfed sandbox up')
  })
})

describe('how long a retry waits', () => {
  const policy = {attempts: 8, baseMs: 500, maxMs: 30_000}
  const at = Date.parse('2026-11-21T12:00:45.300Z')
  const half = () => 0.5

  test('a per-minute quota waits until just past the next minute, with up to a second of jitter', () => {
    const quota = classify(gaxios(403, 'rateLimitExceeded', "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'compute.googleapis.com'"))
    expect(retryDelayMs(quota, 1, policy, at, () => 0)).toBe(14_700)
    expect(retryDelayMs(quota, 1, policy, at, () => 0.999)).toBe(15_699)
  })

  test("the server's Retry-After wins, in seconds or as a date", () => {
    const withHeader = (value: string) => Object.assign(gaxios(429, 'rateLimitExceeded', 'slow down'), {response: {status: 429, headers: new Headers({'retry-after': value})}})
    expect(classify(withHeader('7')).retryAfterMs).toBe(7_000)
    expect(retryDelayMs(classify(withHeader('7')), 3, policy, at, half)).toBe(7_000)
    expect(classify(withHeader(new Date(Date.now() + 60_000).toUTCString())).retryAfterMs).toBeGreaterThan(50_000)
    expect(classify(withHeader('soon')).retryAfterMs).toBeUndefined()
  })

  test('anything else backs off exponentially with full jitter, capped', () => {
    const busy = classify(gaxios(503, 'backendError', 'unavailable'))
    expect([1, 2, 3, 4].map((n) => retryDelayMs(busy, n, policy, at, () => 1))).toEqual([500, 1_000, 2_000, 4_000])
    expect(retryDelayMs(busy, 12, policy, at, () => 1)).toBe(30_000)
    expect(retryDelayMs(busy, 3, policy, at, () => 0)).toBe(0)
  })
})

describe('withRetry', () => {
  const fast = {attempts: 4, baseMs: 1, maxMs: 2}
  const failing = (errors: Error[]) => {
    let calls = 0
    const fn = async () => {
      const e = errors[calls++]
      if (e) throw e
      return 'done'
    }
    return {fn, calls: () => calls}
  }

  test('retries what is transient until it succeeds, reporting each retry', async () => {
    const f = failing([gaxios(503, 'backendError', 'unavailable'), gaxios(429, 'rateLimitExceeded', 'slow down')])
    const retries: string[] = []
    expect(await withRetry(f.fn, fast, (attempt, _delay, reason) => retries.push(`${attempt} ${reason}`))).toBe('done')
    expect(f.calls()).toBe(3)
    expect(retries).toEqual(['1 503 backendError', '2 429 rateLimitExceeded'])
  })

  test('fails at once, with the API\'s own error, on what retrying cannot fix', async () => {
    const denied = gaxios(400, 'invalid', 'Invalid value for field')
    const f = failing([denied])
    await expect(withRetry(f.fn, fast)).rejects.toBe(denied)
    expect(f.calls()).toBe(1)
  })

  test('gives up after the policy\'s attempts with the last error', async () => {
    const errors = Array.from({length: 10}, (_, i) => gaxios(503, 'backendError', `try ${i + 1}`))
    const f = failing(errors)
    await expect(withRetry(f.fn, fast)).rejects.toBe(errors[3])
    expect(f.calls()).toBe(4)
  })

  test('waits as long as Retry-After says', async () => {
    const limited = Object.assign(gaxios(429, 'rateLimitExceeded', 'slow down'), {response: {status: 429, headers: new Headers({'retry-after': '1'})}})
    const f = failing([limited])
    const delays: number[] = []
    const started = Date.now()
    await withRetry(f.fn, fast, (_a, delay) => delays.push(delay))
    expect(delays).toEqual([1_000])
    expect(Date.now() - started).toBeGreaterThanOrEqual(990)
  })
})
