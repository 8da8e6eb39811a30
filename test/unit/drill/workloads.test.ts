import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {deploymentsBehind, drillServices, selects, servicesLosingPods, type SelectedService} from '../../../src/drill/workloads.js'
import {parseSpec} from '../../../src/spec/parse.js'

const spec = parseSpec('f.yaml', readFileSync('examples/three-region/federation.yaml', 'utf8'), {}).spec!
const deployment = (name: string, labels: Record<string, string>, replicas = 3, namespace = 'mc-demo') => ({namespace, name, replicas, readyReplicas: replicas, podLabels: labels})

describe('what a cluster loss takes down', () => {
  it("every spec service that runs in the cluster, or those --services names", () => {
    expect(drillServices(spec, 'east')).toEqual([
      {service: 'frontend', namespace: 'mc-demo'},
      {service: 'api', namespace: 'mc-demo'},
      {service: 'analytics', namespace: 'mc-demo'},
    ])
    expect(drillServices(spec, 'north')).toEqual([{service: 'frontend', namespace: 'mc-demo'}])
    expect(drillServices(spec, 'east', ['api'])).toEqual([{service: 'api', namespace: 'mc-demo'}])
  })

  it('names a misspelt cluster or service, and a service that runs elsewhere', () => {
    expect(() => drillServices(spec, 'eats')).toThrow(/no cluster eats in the spec/)
    expect(() => drillServices(spec, 'north', ['api'])).toThrow(/api does not run in north \(it runs in west, east\)/)
    expect(() => drillServices(spec, 'east', ['fronted'])).toThrow(/no service fronted in the spec/)
  })

  it('the Deployments whose pods a service selects, in its namespace only', () => {
    const services = [
      {service: 'frontend', namespace: 'mc-demo', selector: {app: 'frontend'}},
      {service: 'api', namespace: 'mc-demo', selector: {app: 'api'}},
      {service: 'analytics', namespace: 'mc-demo'},
    ]
    const live = [
      deployment('frontend', {app: 'frontend', version: 'v2'}),
      deployment('api', {app: 'api'}, 2),
      deployment('frontend', {app: 'frontend'}, 3, 'other'),
      deployment('worker', {app: 'worker'}),
    ]
    expect(deploymentsBehind(services, live).map((d) => `${d.namespace}/${d.name}`)).toEqual(['mc-demo/api', 'mc-demo/frontend'])
    expect(selects({}, {app: 'x'})).toBe(false)
    expect(selects(undefined, {app: 'x'})).toBe(false)
  })

  it('a Deployment that backs two services takes both down, asked or not', () => {
    const services: SelectedService[] = [
      {service: 'frontend', namespace: 'mc-demo', selector: {tier: 'web'}},
      {service: 'api', namespace: 'mc-demo', selector: {tier: 'web', role: 'api'}},
    ]
    const scaled = deploymentsBehind([services[0]!], [deployment('web', {tier: 'web', role: 'api'})])
    expect(servicesLosingPods(services, scaled)).toEqual(['frontend', 'api'])
  })
})
