import {describe, expect, test} from 'vitest'

import {classify, toProviderError} from '../../src/providers/gcp/errors.js'

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
