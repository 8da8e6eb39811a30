import {readFileSync} from 'node:fs'

import {beforeEach, describe, expect, test} from 'vitest'
import {parse} from 'yaml'

import {controlPlaneValues, heartbeatSchedule, multiclusterValues} from '../../../../src/linkerd/install/values.js'
import {parseSpec} from '../../../../src/spec/parse.js'
import {requireFixtures} from '../../../support/linkerd.js'
import {fixture} from '../../../support/linkerd-fixtures.js'

const spec = parseSpec('f.yaml', readFileSync('examples/three-region/federation.yaml', 'utf8'), {}).spec!
const recorded = (file: string) => parse(readFileSync(fixture('edge-25.10.7', `values/${file}`), 'utf8')) as Record<string, unknown>

beforeEach((ctx) => requireFixtures(ctx))

describe('values mcfed passes to the linkerd CLI', () => {
  test.each(['west', 'east', 'north'])('multicluster values for %s are the ones the recorded render was made from', (cluster) => {
    expect(multiclusterValues(spec, cluster)).toEqual(recorded(`multicluster-${cluster}.yaml`))
  })

  test('without the east-gw link, west has no east-gw controller (the recorded "missing controller" values)', () => {
    const noGateway = {...spec, spec: {...spec.spec, services: Object.fromEntries(Object.entries(spec.spec.services).filter(([, s]) => s.mode !== 'gateway'))}}
    expect(multiclusterValues(noGateway, 'west')).toEqual(recorded('multicluster-west-without-east-gw.yaml'))
  })

  test('control-plane values carry the certificates given and pin every generated secret and the schedule', () => {
    const certs = {anchorPem: 'ANCHOR', issuerCertPem: 'CRT', issuerKeyPem: 'KEY', webhookCaPem: 'CA'}
    const values = controlPlaneValues(spec, 'west', certs)
    const shape = recorded('control-plane.yaml')
    // Same keys as the recorded values (the render's source), nothing the chart would generate left open.
    expect(Object.keys(values).sort()).toEqual(Object.keys(shape).sort())
    expect(values).toMatchObject({
      identityTrustAnchorsPEM: 'ANCHOR',
      identity: {issuer: {tls: {crtPEM: 'CRT', keyPEM: 'KEY'}}},
      proxyInjector: {externalSecret: true, caBundle: 'CA'},
      profileValidator: {externalSecret: true, caBundle: 'CA'},
      policyValidator: {externalSecret: true, caBundle: 'CA'},
    })
    expect(values).not.toHaveProperty('identity.issuer.scheme')
  })

  test('a trust domain other than Linkerd\'s default is passed on', () => {
    const other = {...spec, spec: {...spec.spec, linkerd: {...spec.spec.linkerd, trustDomain: 'mesh.example'}}}
    expect(controlPlaneValues(other, 'west', {anchorPem: 'A', issuerCertPem: 'C', issuerKeyPem: 'K', webhookCaPem: 'W'})).toHaveProperty('identityTrustDomain', 'mesh.example')
  })

  test('the heartbeat schedule is fixed per federation and cluster, and a valid daily cron', () => {
    expect(heartbeatSchedule('f', 'west')).toBe(heartbeatSchedule('f', 'west'))
    expect(heartbeatSchedule('f', 'west')).not.toBe(heartbeatSchedule('f', 'east'))
    expect(heartbeatSchedule('f', 'west')).toMatch(/^([0-5]?\d) (1?\d|2[0-3]) \* \* \*$/)
  })
})
