import {describe, expect, it} from 'vitest'

import {readyEndpoints, sharesOf, sliceSelector} from '../../../src/verify/endpoint-slices.js'

const slice = (name: string, service: string, endpoints: {ip: string; ready?: boolean | null}[]) => ({
  metadata: {name, namespace: 'mc-demo', labels: {'kubernetes.io/service-name': service}},
  endpoints: endpoints.map((e) => ({addresses: [e.ip], conditions: e.ready === undefined ? {} : {ready: e.ready}})),
})

describe('ready endpoints as Linkerd’s destination controller counts them', () => {
  it('skips endpoints not ready, counts an unset condition as ready, and an address in two slices once', () => {
    const counted = readyEndpoints([
      slice('frontend-a', 'frontend', [{ip: '10.0.0.1', ready: true}, {ip: '10.0.0.2', ready: false}, {ip: '10.0.0.3'}, {ip: '10.0.0.4', ready: null}]),
      slice('frontend-b', 'frontend', [{ip: '10.0.0.1', ready: true}]),
      slice('api-a', 'api', []),
    ])
    expect(counted).toEqual([
      {namespace: 'mc-demo', name: 'api', ready: 0},
      {namespace: 'mc-demo', name: 'frontend', ready: 3},
    ])
  })

  it('selects the slices of several services in one list', () => {
    expect(sliceSelector(['frontend', 'api', 'frontend'])).toBe('kubernetes.io/service-name in (api,frontend)')
  })

  it('shares follow endpoints; none anywhere is no share at all', () => {
    expect(sharesOf({west: 3, east: 0, north: 3})).toEqual({west: 0.5, east: 0, north: 0.5})
    expect(sharesOf({west: 0})).toEqual({west: 0})
  })
})
