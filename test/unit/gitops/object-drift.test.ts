import {describe, expect, test} from 'vitest'

import {firstDeparture} from '../../../src/gitops/object-drift.js'

describe('a live object against the tree\'s', () => {
  test('fields the API server or a controller added are not drift; maps compare key by key', () => {
    const want = {metadata: {name: 'east', labels: {a: '1'}}, spec: {selector: {matchLabels: {x: 'y'}}}}
    const live = {metadata: {name: 'east', labels: {a: '1', added: 'by-someone'}, uid: 'u', resourceVersion: '7'}, spec: {selector: {matchLabels: {x: 'y'}}, probeSpec: {failureThreshold: 3}}, status: {}}
    expect(firstDeparture(want, live)).toBeUndefined()
  })

  test('a changed value, a missing key and a list of another length are drift, at their path', () => {
    expect(firstDeparture({spec: {selector: {matchLabels: {x: 'y'}}}}, {spec: {selector: {matchLabels: {x: 'z'}}}})).toEqual({path: 'spec.selector.matchLabels.x', want: 'y', live: 'z'})
    expect(firstDeparture({metadata: {labels: {a: '1'}}}, {metadata: {}})).toEqual({path: 'metadata.labels', want: {a: '1'}, live: undefined})
    expect(firstDeparture({rules: [{verbs: ['get']}]}, {rules: [{verbs: ['get']}, {verbs: ['list']}]})?.path).toBe('rules')
  })

  test('list elements compare as subsets too (the API server defaults fields inside them)', () => {
    const want = {spec: {data: [{secretKey: 'kubeconfig', remoteRef: {key: 'k', version: 'g1'}}]}}
    const live = {spec: {data: [{secretKey: 'kubeconfig', remoteRef: {key: 'k', version: 'g1', conversionStrategy: 'Default'}}]}}
    expect(firstDeparture(want, live)).toBeUndefined()
    expect(firstDeparture(want, {spec: {data: [{secretKey: 'kubeconfig', remoteRef: {key: 'k', version: 'g2'}}]}})?.path).toBe('spec.data.0.remoteRef.version')
  })
})
