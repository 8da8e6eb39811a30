import {describe, expect, test} from 'vitest'

import {checkInstallation, type LinkerdInstallation} from '../../../../../src/providers/kube/linkerd/findings.js'

const healthy: LinkerdInstallation = {
  cluster: 'west',
  install: 'external',
  specVersion: '2.19',
  controlPlaneVersion: 'edge-25.10.7',
  linkCrd: true,
  gateway: {service: false, deployment: false},
  wantsGateway: false,
  consumed: [
    {name: 'east', mode: 'flat'},
    {name: 'east-gw', mode: 'gateway'},
  ],
  liveLinks: ['east', 'east-gw'],
  controllers: [
    {namespace: 'linkerd-multicluster', name: 'controller-east', link: 'east', component: 'controller'},
    {namespace: 'linkerd-multicluster', name: 'controller-east-gw', link: 'east-gw', component: 'controller'},
  ],
}
const rules = (i: Partial<LinkerdInstallation>) => checkInstallation({...healthy, ...i}).map((d) => d.rule)

describe('checks of an installed Linkerd', () => {
  test('one controller per consumed link, the right version, no gateway where none is exported: no findings', () => {
    expect(checkInstallation(healthy)).toEqual([])
  })

  test('a consumed link without a controller is drift naming the link and the controllers[] entry to add', () => {
    const [d, ...rest] = checkInstallation({...healthy, controllers: healthy.controllers.slice(0, 1)})
    expect(rest).toEqual([])
    expect(d).toMatchObject({rule: 'linkerd/missing-controller', drift: true, addresses: ['linkerd_link.west/east-gw']})
    expect(d!.message).toBe('Link east-gw in west has no service-mirror controller: nothing will be mirrored')
    expect(d!.hint).toContain('controllers: [{link: {ref: {name: east-gw}}}]')
    expect(d!.hint).toContain('mcfed cannot fix this with install: external')
    // A flat link's entry turns its probe Service off.
    const flat = checkInstallation({...healthy, controllers: healthy.controllers.slice(1)})[0]!
    expect(flat.hint).toContain('controllers: [{link: {ref: {name: east}}, gateway: {enabled: false}}]')
  })

  test('legacy, duplicate and orphan controllers are named', () => {
    const legacy = {namespace: 'linkerd-multicluster', name: 'linkerd-service-mirror-east', link: 'east', component: 'service-mirror'}
    expect(rules({controllers: [...healthy.controllers, legacy]})).toEqual(['linkerd/duplicate-controller', 'linkerd/legacy-controller'])
    const orphan = {namespace: 'linkerd-multicluster', name: 'controller-south', link: 'south', component: 'controller'}
    expect(rules({controllers: [...healthy.controllers, orphan]})).toEqual(['linkerd/orphan-controller'])
    // A controller for a Link that exists but is not the spec's is not an orphan.
    expect(rules({controllers: [...healthy.controllers, orphan], liveLinks: [...healthy.liveLinks, 'south']})).toEqual([])
  })

  test('version, control plane, gateway and Link CRD', () => {
    expect(rules({controlPlaneVersion: 'edge-25.4.4'})).toEqual(['linkerd/version-mismatch'])
    expect(rules({specVersion: 'edge-25.10.7'})).toEqual([])
    expect(rules({controlPlaneVersion: undefined})).toEqual(['linkerd/control-plane-missing'])
    expect(rules({wantsGateway: true})).toEqual(['linkerd/gateway-missing'])
    expect(rules({wantsGateway: true, gateway: {service: true, deployment: true}})).toEqual([])
    const half = checkInstallation({...healthy, wantsGateway: true, gateway: {service: true, deployment: false}})
    expect(half[0]!.message).toBe('west exports a gateway-mode service but its multicluster gateway (linkerd-multicluster/linkerd-gateway) has no Deployment')
    expect(rules({gateway: {service: true, deployment: true}})).toEqual(['linkerd/gateway-unexpected'])
    const crd = checkInstallation({...healthy, linkCrd: false})
    expect(crd.map((d) => [d.rule, d.severity, d.drift])).toEqual([['linkerd/link-crd-missing', 'warning', true]])
    expect(crd[0]!.addresses).toEqual(['linkerd_link.west/east', 'linkerd_link.west/east-gw'])
  })
})
