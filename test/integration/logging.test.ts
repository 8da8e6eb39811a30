import {afterAll, beforeAll, describe, expect, test} from 'vitest'

import type {Plan} from '../../src/plan/types.js'
import {simFixture, type SimFixture} from '../support/sim.js'

let f: SimFixture
beforeAll(async () => {
  f = await simFixture()
})
afterAll(async () => f.close())

describe('--log-level and MCFED_LOG', () => {
  test('debug: every API call on stderr with method, URL, status and duration, and each retry; stdout stays the plan', async () => {
    f.sim.faults.add({route: 'compute.networks.list', status: 429, reason: 'rateLimitExceeded', retryAfterSeconds: 0, times: 1})
    const r = await f.run(['plan', '-f', f.spec, '--format', 'json', '--log-level', 'debug'])
    expect(r.code).toBe(0)
    expect((JSON.parse(r.stdout) as Plan).mode).toBe('live')
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('mcfed debug: '))
    expect(lines.some((l) => /^mcfed debug: GET http:\/\/127\.0\.0\.1:\d+\/compute\/v1\/projects\/my-project\/global\/networks\S* 200 \d+ms$/.test(l))).toBe(true)
    expect(lines.some((l) => /GET \S+\/global\/networks\S* 429 \d+ms$/.test(l))).toBe(true)
    expect(lines.some((l) => /^mcfed debug: retry 1\/\d+ in \d+ms: 429 rateLimitExceeded$/.test(l))).toBe(true)
    expect(r.stderr).not.toContain('mcfed trace:')
  })

  test('trace (from MCFED_LOG) adds bodies; the default level logs nothing', async () => {
    const traced = await f.run(['plan', '-f', f.spec, '--format', 'json'], {MCFED_LOG: 'trace'})
    expect(traced.code).toBe(0)
    expect(traced.stderr).toMatch(/^mcfed trace: response body: \{"kind":"compute#subnetworkAggregatedList"/m)
    // The networks and firewall lists ask for only the fields their reads decode (X-Goog-FieldMask).
    expect(traced.stderr).toContain('mcfed trace: response body: {"items":[]}')
    const quiet = await f.run(['plan', '-f', f.spec, '--format', 'json'])
    expect(quiet.stderr).not.toMatch(/mcfed (debug|trace):/)
  })
})
