import {describe, expect, it} from 'vitest'

import {expectedFailures, lossProblems, phaseView, recoveryProblems, type LossScope} from '../../../src/drill/judge.js'
import {sharesOf} from '../../../src/verify/endpoint-slices.js'
import type {Cell, VerifyReport} from '../../../src/verify/verdicts.js'

type Counts = {west: number; east: number; north: number}

/** verify's report of the three-region mesh with these ready endpoints per cluster (frontend, api, analytics) and gateway mirror state. */
function mesh(frontend: Counts, api: {west: number; east: number}, analytics: number, mirrorReady = analytics > 0 ? 1 : 0): VerifyReport {
  const fed = (cluster: string): Cell => ({service: 'frontend', namespace: 'mc-demo', mode: 'federated', cluster, name: 'frontend-federated', via: [], ok: true, verdict: 'ok', reason: '3/3', endpoints: {...frontend}, shares: sharesOf(frontend)})
  const flat = (cluster: string, target: 'west' | 'east'): Cell => ({service: 'api', namespace: 'mc-demo', mode: 'flat', cluster, name: `api-${target}`, via: [target], ok: true, verdict: 'ok', reason: 'mirrored', endpoints: {[target]: api[target]}})
  const gw = (cluster: string): Cell => ({service: 'analytics', namespace: 'mc-demo', mode: 'gateway', cluster, name: 'analytics-east-gw', via: ['east-gw'], ok: true, verdict: 'ok', reason: 'through the gateway', endpoints: {east: analytics}, mirror_ready: mirrorReady})
  const cells = [fed('west'), fed('east'), fed('north'), flat('west', 'east'), flat('east', 'west'), flat('north', 'west'), flat('north', 'east'), gw('west'), gw('north')]
  return {format_version: '1.3', federation: 'mc-demo', ok: true, summary: {ok: cells.length, broken: 0, unexpected: 0, links_broken: 0, access_broken: 0, trust_broken: 0}, cells, unexpected: [], links: [], access: [], trust: {clusters: [], pairs: []}}
}

const before = mesh({west: 3, east: 3, north: 3}, {west: 2, east: 2}, 1)
const lostEast: LossScope = {cluster: 'east', services: new Set(['frontend', 'api', 'analytics'])}

describe('judging a cluster loss', () => {
  it('absorbed as the spec implies: east 0 everywhere, west and north as they were, east’s mirrors empty', () => {
    const during = mesh({west: 3, east: 0, north: 3}, {west: 2, east: 0}, 0)
    expect(lossProblems(before, during, lostEast)).toEqual([])
    expect(phaseView(during, lostEast.services).federated.find((f) => f.consumer === 'west')).toEqual({service: 'frontend', consumer: 'west', endpoints: {west: 3, east: 0, north: 3}, shares: {west: 0.5, east: 0, north: 0.5}})
    expect(expectedFailures(before, lostEast).map((f) => `${f.cluster} ${f.name}`)).toEqual(['west api-east', 'north api-east', 'west analytics-east-gw', 'north analytics-east-gw'])
  })

  it('not yet absorbed: endpoints still in east, a gateway mirror still pointing at the gateway', () => {
    const during = mesh({west: 3, east: 1, north: 3}, {west: 2, east: 0}, 0, 1)
    expect(lossProblems(before, during, lostEast)).toEqual([
      'west frontend-federated: 1 ready endpoints still in east',
      'north frontend-federated: 1 ready endpoints still in east',
      'west analytics-east-gw: the mirror still has 1 ready address at the gateway of east',
      'north analytics-east-gw: the mirror still has 1 ready address at the gateway of east',
    ])
  })

  it('collateral, seen from the other clusters: a member elsewhere losing endpoints, a service not taken down changing, a link broken', () => {
    const during = mesh({west: 2, east: 0, north: 3}, {west: 1, east: 0}, 0)
    const broken = {...during, links: [{consumer: 'north', link: 'west', target: 'west', mode: 'flat' as const, ok: false, verdict: 'controller-stopped' as const, reason: 'stopped'}]}
    expect(lossProblems(before, broken, lostEast)).toEqual([
      'west frontend-federated: 2 ready endpoints in west, were 3',
      'north frontend-federated: 2 ready endpoints in west, were 3',
      'north api-west: ready endpoints west 1, were west 2, though it does not depend on east',
      'link north → west: controller-stopped (stopped)',
    ])
  })

  it('only the services taken down are expected to go: with --services api, frontend must keep east', () => {
    const scope: LossScope = {cluster: 'east', services: new Set(['api'])}
    expect(lossProblems(before, mesh({west: 3, east: 3, north: 3}, {west: 2, east: 0}, 1), scope)).toEqual([])
    expect(lossProblems(before, mesh({west: 3, east: 0, north: 3}, {west: 2, east: 0}, 1), scope)[0]).toBe('west frontend-federated: ready endpoints west 3, east 0, north 3, were west 3, east 3, north 3, though it does not depend on east')
  })

  it('recovered only when every count is as before: restoring 1 of 3 is not recovered', () => {
    expect(recoveryProblems(before, mesh({west: 3, east: 3, north: 3}, {west: 2, east: 2}, 1))).toEqual([])
    expect(recoveryProblems(before, mesh({west: 3, east: 1, north: 3}, {west: 2, east: 2}, 1))[0]).toBe('west frontend-federated: ready endpoints west 3, east 1, north 3, were west 3, east 3, north 3')
  })
})
