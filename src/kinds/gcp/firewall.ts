import {firewallNameOfPart} from '../../graph/firewalls.js'
import {parseMarker, lastSegment} from '../../graph/ownership.js'
import {address, type ObservedResource} from '../../graph/resource.js'
import {compute, networkRef, str, stepTarget} from '../../providers/gcp/mutation.js'
import {gcpKind, type GcpKind} from './gcp-kind.js'

export const gcpFirewall: GcpKind<'gcp_firewall'> = gcpKind('gcp_firewall', {
  lists: ['firewalls'],

  observe({firewalls}, {federation, inHost}) {
    const resources: ObservedResource[] = []
    for (const f of firewalls) {
      const marker = parseMarker(f.description)
      if (marker?.federation !== federation || !(marker.rule || marker.peer)) continue
      // A rule per peer (before one rule per network) is still mcfed's: the plan deletes it.
      const name = marker.rule ? firewallNameOfPart(marker.cluster, marker.rule) : `${marker.cluster}-from-${marker.peer}`
      resources.push({
        address: address('gcp_firewall', name),
        kind: 'gcp_firewall',
        name,
        cluster: marker.cluster,
        owned: true,
        dependsOn: [address('gcp_network', marker.cluster)],
        attributes: {
          name: f.name ?? '',
          network: lastSegment(f.network),
          direction: f.direction ?? 'INGRESS',
          priority: Number(f.priority ?? 1000),
          source_ranges: [...(f.sourceRanges ?? [])].sort(),
          allowed: (f.allowed ?? []).map((a) => a.IPProtocol ?? '').sort(),
          description: f.description ?? '',
          ...inHost,
        },
      })
    }
    return {resources, diagnostics: []}
  },

  async mutate(step, m, c) {
    const {ctx, a, project} = stepTarget(step, m, c)
    const {clients} = ctx
    const firewall = str(a.name)
    const resource = {
      name: firewall,
      network: networkRef(project, a.network),
      direction: str(a.direction),
      priority: Number(a.priority),
      sourceRanges: (a.source_ranges ?? []) as string[],
      allowed: ((a.allowed ?? []) as string[]).map((IPProtocol) => ({IPProtocol})),
      description: str(a.description),
    }
    if (m === 'create') return compute(ctx, c.address, (requestId) => clients.firewalls.insert({project, requestId, firewallResource: resource}))
    if (m === 'delete') return compute(ctx, c.address, (requestId) => clients.firewalls.delete({project, firewall, requestId}))
    // PUT replaces the whole rule, so a list can also shrink (the REST client drops empty lists in PATCH).
    return compute(ctx, c.address, (requestId) => clients.firewalls.update({project, firewall, requestId, firewallResource: resource}))
  },
})
