import {readFileSync} from 'node:fs'

import {describe, expect, test} from 'vitest'

import {desiredGraph} from '../../../src/graph/desired.js'
import type {CredentialFacts} from '../../../src/graph/facts.js'
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
    expect(link.dependsOn).toEqual(expect.arrayContaining(['linkerd_remote_access.east/west/east-gw', 'linkerd_link_credential.west/east-gw/g1']))
    expect(link.attributes).toMatchObject({credentials_secret: 'cluster-credentials-east-gw-g1', credentials_generation: 1, destination_copy: 'generation 1'})
    // The generation: a token of that ServiceAccount, readable by the link's controller, asked for the spec's validity as written.
    const g1 = get(graph, 'linkerd_link_credential.west/east-gw/g1')
    expect(g1.dependsOn).toContain('linkerd_remote_access.east/west/east-gw')
    expect(g1.attributes).toMatchObject({service_account: 'mcfed-link-west-east-gw', bound_secret: 'mcfed-link-west-east-gw-g1', readable_by: 'linkerd-multicluster/controller-east-gw', validity: '2160h'})
  })

  test('credential validity is shown as asked, never rounded to hours', () => {
    const short = parseSpec('f.yaml', text.replace('    trustAnchor:', '    linkCredentials: {validity: 10m, renewBefore: 9m}\n    trustAnchor:'), {}).spec!
    expect(get(desiredGraph(short), 'linkerd_link_credential.west/east/g1').attributes.validity).toBe('10m')
    const mixed = parseSpec('f.yaml', text.replace('    trustAnchor:', '    linkCredentials: {validity: 90m, renewBefore: 30m}\n    trustAnchor:'), {}).spec!
    expect(get(desiredGraph(mixed), 'linkerd_link_credential.west/east/g1').attributes.validity).toBe('1h30m')
  })

  test('facts say which generation a link runs on: kept while usable, the next one when due', () => {
    const facts = (f: CredentialFacts) => ({clusters: {west: {credentials: {east: f}}}})
    const kept = desiredGraph(external, undefined, facts({named: 3, usable: [3], highest: 3}))
    expect(get(kept, 'linkerd_link.west/east').attributes.credentials_secret).toBe('cluster-credentials-east-g3')
    expect(get(kept, 'linkerd_link_credential.west/east/g3').reason).toBeUndefined()
    const due = desiredGraph(external, undefined, facts({named: 3, usable: [], highest: 3, problem: 'expire 2027-01-10T00:00:00.000Z, within renewBefore'}))
    expect(get(due, 'linkerd_link_credential.west/east/g4').reason).toBe('renews generation 3, whose credentials expire 2027-01-10T00:00:00.000Z, within renewBefore')
    expect(get(due, 'linkerd_link.west/east')).toMatchObject({reason: 'moves to credential generation 4', attributes: {credentials_generation: 4}})
    expect(get(due, 'linkerd_destination_credentials.west').attributes.credentials).toBe('east=4 east-gw=1 north=1')
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
    const blind = desiredGraph(external)
    expect(get(blind, 'linkerd_link.north/east-gw').unknown).toEqual(['gateway_address'])
    expect(get(blind, 'linkerd_link_credential.north/east-gw/g1').unknown).toEqual(expect.arrayContaining(['api_server', 'credentials', 'expires']))
    const facts = {clusters: {east: {apiServer: 'https://127.0.0.1:7443', gateway: {address: '192.0.2.10', identity: 'gw.id', port: '4143', probePort: '4191', probePath: '/ready', probePeriod: '3s'}}}}
    const seen = desiredGraph(external, undefined, facts)
    expect(get(seen, 'linkerd_link.north/east-gw').unknown).toEqual([])
    expect(get(seen, 'linkerd_link.north/east-gw').attributes).toMatchObject({gateway_address: '192.0.2.10', gateway_identity: 'gw.id'})
    expect(get(seen, 'linkerd_link_credential.north/east-gw/g1').attributes.api_server).toBe('https://127.0.0.1:7443')
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
