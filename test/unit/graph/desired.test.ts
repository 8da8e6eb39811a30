import {describe, expect, test} from 'vitest'

import {desiredGraph} from '../../../src/graph/desired.js'
import {SOURCE_RANGES_PER_RULE, peerFirewalls} from '../../../src/graph/firewalls.js'
import type {DesiredResource} from '../../../src/graph/resource.js'
import {loadValidSpec, THREE_REGION} from '../../support/specs.js'

const spec = loadValidSpec(THREE_REGION)
const graph = desiredGraph(spec)
const byKind = (kind: string) => graph.filter((r) => r.kind === kind)
const get = (a: string): DesiredResource => {
  const r = graph.find((x) => x.address === a)
  if (!r) throw new Error(`no ${a}`)
  return r
}

describe('desired graph of the three-region example', () => {
  test('holds every resource the spec implies', () => {
    const counts = Object.fromEntries([...new Set(graph.map((r) => r.kind))].map((k) => [k, byKind(k).length]))
    expect(counts).toEqual({
      gcp_network: 3,
      gcp_subnetwork: 3,
      gcp_peering: 6,
      // One rule per cluster network, whatever the number of peers.
      gcp_firewall: 3,
      gke_cluster: 3,
      // install: mcfed: the control plane's render carries the trust roots; no resource of their own.
      linkerd_crds: 3,
      linkerd_webhook_tls: 3,
      linkerd_issuer: 3,
      linkerd_control_plane: 3,
      linkerd_multicluster: 3,
      linkerd_link: 8,
      linkerd_remote_access: 8,
      // One generation of credentials per link, and each consuming cluster's destination controller restarted onto them.
      linkerd_link_credential: 8,
      linkerd_destination_credentials: 3,
      // Each link target's canaries, which verify watches come through every link.
      linkerd_canary: 3,
      service_label: 6,
    })
  })

  test("a link's credentials: the Link depends on its generation, the destination controller on every Link of its cluster", () => {
    expect(get('linkerd_link_credential.west/east/g1').dependsOn).toEqual(['gke_cluster.west', 'linkerd_remote_access.east/west/east', 'linkerd_multicluster.west'])
    expect(get('linkerd_link.west/east').dependsOn).toContain('linkerd_link_credential.west/east/g1')
    expect(get('linkerd_destination_credentials.west').dependsOn).toEqual(['gke_cluster.west', 'linkerd_control_plane.west', 'linkerd_link.west/east', 'linkerd_link.west/north', 'linkerd_link.west/east-gw'])
    expect(get('linkerd_destination_credentials.west').attributes.credentials).toBe('east=1 east-gw=1 north=1')
    // east is the target of flat and gateway links: both canaries; north and west of flat links only.
    expect(get('linkerd_canary.east').attributes.services).toEqual(['mcfed-canary', 'mcfed-canary-gw'])
    expect(get('linkerd_canary.north').attributes.services).toEqual(['mcfed-canary'])
  })

  test('with install: mcfed the components apply CRDs → control plane → extension, the control plane after its issuer and webhook certificates', () => {
    expect(get('linkerd_control_plane.west').dependsOn).toEqual(['linkerd_crds.west', 'linkerd_webhook_tls.west', 'linkerd_issuer.west'])
    expect(get('linkerd_multicluster.west').dependsOn).toEqual(['linkerd_control_plane.west'])
    expect(get('linkerd_link.west/east-gw').dependsOn).toContain('linkerd_multicluster.west')
    // A new issuer or webhook CA is rendered into the control plane: known only after apply.
    expect(get('linkerd_control_plane.west').inputs).toEqual({issuer_certificate: 'linkerd_issuer.west', webhook_ca: 'linkerd_webhook_tls.west'})
    // Offline (no render): the objects are known after apply.
    expect(get('linkerd_control_plane.west').unknown).toContain('objects')
    expect(get('linkerd_multicluster.east').attributes).toMatchObject({gateway: true, controllers: ['north', 'west']})
    expect(get('linkerd_multicluster.west').attributes).toMatchObject({gateway: false, controllers: ['east', 'east-gw', 'north']})
  })

  test('both halves of every peering, the second waiting for the first', () => {
    expect(byKind('gcp_peering').map((r) => r.address)).toEqual([
      'gcp_peering.west-east',
      'gcp_peering.east-west',
      'gcp_peering.west-north',
      'gcp_peering.north-west',
      'gcp_peering.east-north',
      'gcp_peering.north-east',
    ])
    expect(get('gcp_peering.east-west').dependsOn).toContain('gcp_peering.west-east')
    for (const p of byKind('gcp_peering')) expect(p.attributes).toMatchObject({export_custom_routes: true, import_custom_routes: true})
  })

  test("one firewall rule per network admits every peer's subnet and pod ranges", () => {
    expect(get('gcp_firewall.west').attributes).toMatchObject({
      name: 'mc-demo-west-from-peers',
      network: 'mc-demo-west',
      source_ranges: ['10.108.0.0/14', '10.116.0.0/14', '10.20.0.0/20', '10.30.0.0/20'],
      description: 'managed by mcfed; federation=mc-demo; cluster=west; rule=peers',
    })
  })

  test('a network with more peer ranges than one rule may list gets more rules, split the same way every time', () => {
    const rules = peerFirewalls(spec, 'west', ['east', 'north'], 3)
    expect(rules.map((r) => [r.name, r.ruleName, r.part, r.ranges])).toEqual([
      ['west', 'mc-demo-west-from-peers', 'peers', ['10.108.0.0/14', '10.116.0.0/14', '10.20.0.0/20']],
      ['west/2', 'mc-demo-west-from-peers-2', 'peers-2', ['10.30.0.0/20']],
    ])
    expect(SOURCE_RANGES_PER_RULE).toBe(5000)
  })

  test('clusters are zonal, pinned to the spec zone, on their own subnet and ranges', () => {
    expect(get('gke_cluster.north').attributes).toMatchObject({
      location: 'europe-west1-b',
      node_locations: ['europe-west1-b'],
      subnetwork: 'mc-demo-north',
      cluster_ipv4_cidr: '10.116.0.0/14',
      services_ipv4_cidr: '10.120.0.0/20',
    })
  })

  test('a gateway only where a gateway-mode service is exported', () => {
    expect(byKind('linkerd_multicluster').map((r) => [r.name, r.attributes.gateway])).toEqual([
      ['west', false],
      ['east', true],
      ['north', false],
    ])
  })

  test('one controller per consumed link, -gw links for gateway consumers', () => {
    expect(Object.fromEntries(byKind('linkerd_multicluster').map((r) => [r.name, r.attributes.controllers]))).toEqual({
      west: ['east', 'east-gw', 'north'],
      east: ['north', 'west'],
      north: ['east', 'east-gw', 'west'],
    })
    expect(byKind('linkerd_link').map((r) => r.address).sort()).toEqual(
      [
        'linkerd_link.east/north',
        'linkerd_link.east/west',
        'linkerd_link.north/east',
        'linkerd_link.north/east-gw',
        'linkerd_link.north/west',
        'linkerd_link.west/east',
        'linkerd_link.west/east-gw',
        'linkerd_link.west/north',
      ].sort(),
    )
  })

  test('flat links carry no gateway fields; gateway links carry no flat selectors', () => {
    const flat = get('linkerd_link.north/east').attributes
    const gw = get('linkerd_link.north/east-gw').attributes
    // Present as null, so a live Link carrying them (as link-gen writes) shows as drift to remove.
    expect(flat).toMatchObject({gateway_address: null, gateway_port: null, gateway_identity: null, selector: null})
    expect(flat.remote_discovery_selector).toBe('mirror.linkerd.io/exported=remote-discovery')
    expect(flat.federated_service_selector).toBe('mirror.linkerd.io/federated=member')
    expect(gw).toMatchObject({remote_discovery_selector: null, federated_service_selector: null})
    expect(gw).toMatchObject({selector: 'mirror.linkerd.io/exported=true', gateway_port: '4143', target_cluster_name: 'east-gw'})
    expect(get('linkerd_link.north/east-gw').unknown).toContain('gateway_address')
  })

  test('flat links depend on the peering both ways and on the target firewall', () => {
    expect(get('linkerd_link.north/west').dependsOn).toEqual(
      expect.arrayContaining(['gcp_peering.north-west', 'gcp_peering.west-north', 'gcp_firewall.west', 'linkerd_multicluster.west']),
    )
    expect(get('linkerd_link.north/east-gw').dependsOn).not.toContain('gcp_peering.north-east')
  })

  test('one mode label per service and cluster', () => {
    expect(byKind('service_label').map((r) => [r.address, r.attributes.label_key, r.attributes.label_value])).toEqual([
      ['service_label.west/mc-demo/frontend', 'mirror.linkerd.io/federated', 'member'],
      ['service_label.east/mc-demo/frontend', 'mirror.linkerd.io/federated', 'member'],
      ['service_label.north/mc-demo/frontend', 'mirror.linkerd.io/federated', 'member'],
      ['service_label.west/mc-demo/api', 'mirror.linkerd.io/exported', 'remote-discovery'],
      ['service_label.east/mc-demo/api', 'mirror.linkerd.io/exported', 'remote-discovery'],
      ['service_label.east/mc-demo/analytics', 'mirror.linkerd.io/exported', 'true'],
    ])
  })

  test('is in dependency order and every dependency exists', () => {
    const seen = new Set<string>()
    for (const r of graph) {
      for (const d of r.dependsOn) {
        expect(graph.some((x) => x.address === d), `${r.address} -> ${d}`).toBe(true)
        expect(seen.has(d), `${d} before ${r.address}`).toBe(true)
      }
      seen.add(r.address)
    }
  })

  test('addresses are unique', () => {
    expect(new Set(graph.map((r) => r.address)).size).toBe(graph.length)
  })
})

describe('desired graph of a shared VPC in a host project', () => {
  const shared = loadValidSpec('specs/valid/shared-network.yaml')
  const g = desiredGraph(shared)
  const at = (a: string) => g.find((r) => r.address === a)
  test('one network and one firewall rule for all, a subnet per cluster, no peering: everything in the host project', () => {
    expect(g.filter((r) => r.kind === 'gcp_network').map((r) => [r.address, r.attributes.name, r.attributes.project])).toEqual([['gcp_network.shared-network', 'mc-shared', 'my-host-project']])
    expect(g.filter((r) => r.kind === 'gcp_peering')).toEqual([])
    expect(at('gcp_subnetwork.east')?.attributes).toMatchObject({name: 'mc-shared-east', network: 'mc-shared', project: 'my-host-project', ip_cidr_range: '10.20.0.0/20'})
    expect(at('gcp_subnetwork.east')?.dependsOn).toEqual(['gcp_network.shared-network'])
    const rules = g.filter((r) => r.kind === 'gcp_firewall')
    expect(rules.map((r) => [r.address, r.attributes.name])).toEqual([['gcp_firewall.shared-network', 'mc-shared-from-clusters']])
    expect(rules[0]!.attributes.source_ranges).toEqual(['10.10.0.0/20', '10.100.0.0/14', '10.108.0.0/14', '10.116.0.0/14', '10.20.0.0/20', '10.30.0.0/20'])
  })

  test('GKE clusters stay in the service project and name the host project\'s network and subnet by path', () => {
    expect(at('gke_cluster.north')?.attributes).toMatchObject({
      network: 'projects/my-host-project/global/networks/mc-shared',
      subnetwork: 'projects/my-host-project/regions/europe-west1/subnetworks/mc-shared-north',
    })
    expect(at('gke_cluster.north')?.attributes.project).toBeUndefined()
  })

  test('a flat link needs the shared rule, and no peering', () => {
    const link = at('linkerd_link.north/west')!
    expect(link.dependsOn).toContain('gcp_firewall.shared-network')
    expect(link.dependsOn.filter((d) => d.startsWith('gcp_peering.'))).toEqual([])
  })
})
