import {describe, expect, test} from 'vitest'
import {parse} from 'yaml'

import {splitValues, valuesFiles} from '../../../src/gitops/values-files.js'

/** Helm's merge of -f files: maps merged key by key, anything else replaced. */
function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {...a}
  for (const [k, v] of Object.entries(b)) {
    const x = out[k]
    out[k] = x && v && typeof x === 'object' && typeof v === 'object' && !Array.isArray(x) && !Array.isArray(v) ? merge(x as Record<string, unknown>, v as Record<string, unknown>) : v
  }
  return out
}

const byCluster = new Map<string, Record<string, unknown>>([
  ['west', {identityTrustAnchorsPEM: 'A', heartbeatSchedule: '1 2 * * *', proxyInjector: {externalSecret: true, caBundle: 'W'}, controllers: [{link: {ref: {name: 'east'}}}]}],
  ['east', {identityTrustAnchorsPEM: 'A', heartbeatSchedule: '7 9 * * *', proxyInjector: {externalSecret: true, caBundle: 'E'}, controllers: [{link: {ref: {name: 'east'}}}]}],
])

describe('values split into shared and per-cluster files', () => {
  test('shared holds what every cluster gives alike; shared then cluster merges back to each cluster\'s values', () => {
    const {shared, perCluster} = splitValues(byCluster)
    expect(shared).toEqual({identityTrustAnchorsPEM: 'A', proxyInjector: {externalSecret: true}, controllers: [{link: {ref: {name: 'east'}}}]})
    expect(perCluster.get('west')).toEqual({heartbeatSchedule: '1 2 * * *', proxyInjector: {caBundle: 'W'}})
    for (const [c, v] of byCluster) expect(merge(shared as Record<string, unknown>, perCluster.get(c) as Record<string, unknown>)).toEqual(v)
  })

  test('a list that differs in one cluster is per cluster everywhere (Helm replaces lists whole)', () => {
    const values = new Map([...byCluster, ['north', {...byCluster.get('west')!, controllers: []}]])
    const {shared, perCluster} = splitValues(values)
    expect(shared).not.toHaveProperty('controllers')
    for (const [c, v] of values) expect(perCluster.get(c)!.controllers).toEqual(v.controllers)
  })

  test('files: one shared, one per cluster, each headed by the command that renders it again', () => {
    const files = valuesFiles('control-plane', 'linkerd install --ignore-cluster', byCluster)
    expect([...files.keys()]).toEqual(['values/control-plane/shared.yaml', 'values/control-plane/east.yaml', 'values/control-plane/west.yaml'])
    expect(files.get('values/control-plane/west.yaml')).toMatch(/^# linkerd install --ignore-cluster -f values\/control-plane\/shared.yaml -f values\/control-plane\/west.yaml\n/)
    expect(parse(files.get('values/control-plane/west.yaml')!)).toEqual({heartbeatSchedule: '1 2 * * *', proxyInjector: {caBundle: 'W'}})
  })
})
