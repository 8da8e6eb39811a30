import {readFileSync} from 'node:fs'

import {describe, expect, test} from 'vitest'

import {desiredGraph} from '../../../src/graph/desired.js'
import {parseSpec} from '../../../src/spec/parse.js'

const text = readFileSync('examples/three-region/federation.yaml', 'utf8')
const external = parseSpec('f.yaml', text.replace('version: "2.18"', 'version: "2.19"\n    install: external'), {}).spec!
const mcfedInstall = parseSpec('f.yaml', text, {}).spec!
const get = (graph: ReturnType<typeof desiredGraph>, a: string) => graph.find((r) => r.address === a)!

describe('desired Links and remote access', () => {
  test('every Link has its own remote access on the target, and depends on it', () => {
    const graph = desiredGraph(external)
    const access = graph.filter((r) => r.kind === 'linkerd_remote_access').map((r) => r.address)
    expect(access).toHaveLength(8)
    expect(access).toContain('linkerd_remote_access.east/west/east-gw')
    const ra = get(graph, 'linkerd_remote_access.east/west/east-gw')
    expect(ra.cluster).toBe('east')
    expect(ra.attributes).toMatchObject({service_account: 'mcfed-link-west-east-gw', consumer: 'west', link: 'east-gw', bound: true})
    const link = get(graph, 'linkerd_link.west/east-gw')
    expect(link.dependsOn).toContain('linkerd_remote_access.east/west/east-gw')
    // New remote access means new credentials: they become unknown when it is (re)created.
    expect(link.inputs).toMatchObject({credentials: 'linkerd_remote_access.east/west/east-gw'})
    expect(link.attributes).toMatchObject({remote_access: 'mcfed-link-west-east-gw', credentials_validity: '2160h', credentials_valid: true})
  })

  test('with install: external the control plane and extension are not mcfed resources', () => {
    const kinds = new Set(desiredGraph(external).map((r) => r.kind))
    expect(kinds.has('linkerd_control_plane')).toBe(false)
    expect(kinds.has('linkerd_multicluster')).toBe(false)
    expect(kinds.has('linkerd_issuer')).toBe(true)
    const mine = desiredGraph(mcfedInstall)
    expect(get(mine, 'linkerd_link.west/east').dependsOn).toContain('linkerd_multicluster.west')
  })

  test("the estate's facts fill in the target's API server and gateway; without them they are known after apply", () => {
    const blind = get(desiredGraph(external), 'linkerd_link.north/east-gw')
    expect(blind.unknown).toEqual(expect.arrayContaining(['api_server', 'gateway_address', 'credentials']))
    const facts = {clusters: {east: {apiServer: 'https://127.0.0.1:7443', gateway: {address: '192.0.2.10', identity: 'gw.id', port: '4143', probePort: '4191', probePath: '/ready', probePeriod: '3s'}}}}
    const seen = get(desiredGraph(external, undefined, facts), 'linkerd_link.north/east-gw')
    expect(seen.unknown).not.toContain('gateway_address')
    expect(seen.unknown).not.toContain('api_server')
    expect(seen.attributes).toMatchObject({api_server: 'https://127.0.0.1:7443', gateway_address: '192.0.2.10', gateway_identity: 'gw.id'})
  })

  test('links into or out of a cluster without the multicluster extension wait for it', () => {
    const graph = desiredGraph(external, undefined, {clusters: {north: {linkCrd: false}}})
    const links = graph.filter((r) => r.kind === 'linkerd_link').map((r) => r.address).sort()
    expect(links).toEqual(['linkerd_link.east/west', 'linkerd_link.west/east', 'linkerd_link.west/east-gw'])
    expect(graph.filter((r) => r.kind === 'linkerd_remote_access')).toHaveLength(3)
    expect(graph.some((r) => r.kind === 'linkerd_issuer' && r.cluster === 'north')).toBe(true)
  })

  test('with install: external, a cluster that does not exist yet holds its links: the extension can only come after', () => {
    const read = {clusters: {west: {linkCrd: true}, east: {linkCrd: true}}, read: true}
    const links = desiredGraph(external, undefined, read).filter((r) => r.kind === 'linkerd_link').map((r) => r.address).sort()
    expect(links).toEqual(['linkerd_link.east/west', 'linkerd_link.west/east', 'linkerd_link.west/east-gw'])
    // Offline, nothing was read: every link is planned.
    expect(desiredGraph(external).filter((r) => r.kind === 'linkerd_link')).toHaveLength(8)
  })
})
