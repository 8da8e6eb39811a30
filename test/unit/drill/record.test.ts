import {describe, expect, it} from 'vitest'

import {decodeRecord, encodeRecord, restoreSteps, type DrillRecord} from '../../../src/drill/record.js'

const record: DrillRecord = {
  format: 1,
  federation: 'mc-demo',
  cluster: 'east',
  started: '2026-12-05T09:00:00.000Z',
  services: ['frontend', 'api'],
  deployments: [
    {namespace: 'mc-demo', name: 'frontend', replicas: 3},
    {namespace: 'mc-demo', name: 'api', replicas: 2},
    {namespace: 'mc-demo', name: 'idle', replicas: 0},
  ],
}

describe('the drill record', () => {
  it('round-trips through the ConfigMap text, Deployments sorted', () => {
    const text = encodeRecord(record)
    expect(decodeRecord(text, 'ConfigMap default/mcfed-drill-mc-demo')).toEqual({...record, deployments: [record.deployments[1], record.deployments[0], record.deployments[2]]})
    expect(encodeRecord(decodeRecord(text, 'x'))).toBe(text)
  })

  it('refuses what mcfed did not write, naming the ConfigMap and how to restore by hand', () => {
    expect(() => decodeRecord('not json', 'ConfigMap default/mcfed-drill-mc-demo')).toThrow(/ConfigMap default\/mcfed-drill-mc-demo does not hold a drill record/)
    expect(() => decodeRecord(JSON.stringify({...record, deployments: [{namespace: 'a', name: 'b', replicas: -1}]}), 'cm')).toThrow(/cannot read/)
    expect(() => decodeRecord(undefined, 'cm')).toThrow(/does not hold a drill record/)
  })
})

describe('restoring a record', () => {
  it('puts every scaled Deployment back to its recorded count, never to 1', () => {
    const live = [
      {namespace: 'mc-demo', name: 'frontend', replicas: 0},
      {namespace: 'mc-demo', name: 'api', replicas: 0},
      {namespace: 'mc-demo', name: 'idle', replicas: 0},
    ]
    expect(restoreSteps(record, live)).toEqual({
      steps: [
        {namespace: 'mc-demo', name: 'frontend', from: 0, to: 3},
        {namespace: 'mc-demo', name: 'api', from: 0, to: 2},
      ],
      gone: [],
    })
  })

  it('changes nothing already at its count (a re-run after a restore cut off half-way), and names what was deleted meanwhile', () => {
    const live = [
      {namespace: 'mc-demo', name: 'frontend', replicas: 3},
      {namespace: 'mc-demo', name: 'idle', replicas: 0},
    ]
    expect(restoreSteps(record, live)).toEqual({steps: [], gone: [{namespace: 'mc-demo', name: 'api', replicas: 2}]})
  })

  it('a Deployment scaled by hand during the drill goes back to the recorded count too', () => {
    expect(restoreSteps(record, [{namespace: 'mc-demo', name: 'frontend', replicas: 1}, {namespace: 'mc-demo', name: 'api', replicas: 2}, {namespace: 'mc-demo', name: 'idle', replicas: 0}]).steps).toEqual([{namespace: 'mc-demo', name: 'frontend', from: 1, to: 3}])
  })
})
