import {networkName} from '../../graph/names.js'
import {parseMarker} from '../../graph/ownership.js'
import {address, type ObservedResource} from '../../graph/resource.js'
import {clusterNames, networkOwner} from '../../graph/topology.js'
import {compute, str, stepTarget} from '../../providers/gcp/mutation.js'
import {gcpKind, type GcpKind} from './gcp-kind.js'

export const gcpNetwork: GcpKind<'gcp_network'> = gcpKind('gcp_network', {
  lists: ['networks'],

  observe({networks}, {spec, federation, inHost}) {
    // Names the spec wants, so an unowned network in the way is reported instead of silently ignored.
    const wanted = new Map(clusterNames(spec).map((c) => [networkName(spec, c), networkOwner(spec, c)]))
    const resources: ObservedResource[] = []
    for (const n of networks) {
      const marker = parseMarker(n.description)
      const ours = marker?.federation === federation
      const cluster = ours ? marker.cluster : wanted.get(n.name ?? '')
      if (!cluster) continue
      resources.push({
        address: address('gcp_network', cluster),
        kind: 'gcp_network',
        name: cluster,
        cluster,
        owned: ours,
        attributes: {
          name: n.name ?? '',
          auto_create_subnetworks: Boolean(n.autoCreateSubnetworks),
          routing_mode: n.routingConfig?.routingMode ?? 'REGIONAL',
          mtu: Number(n.mtu ?? 1460),
          description: n.description ?? '',
          self_link: n.selfLink ?? null,
          ...inHost,
        },
      })
    }
    return {resources, diagnostics: []}
  },

  async mutate(step, m, c) {
    const {ctx, a, project} = stepTarget(step, m, c)
    const {clients} = ctx
    const network = str(a.name)
    if (m === 'create') {
      return compute(ctx, c.address, (requestId) =>
        clients.networks.insert({
          project,
          requestId,
          networkResource: {name: network, autoCreateSubnetworks: false, routingConfig: {routingMode: str(a.routing_mode)}, mtu: Number(a.mtu), description: str(a.description)},
        }),
      )
    }
    if (m === 'delete') return compute(ctx, c.address, (requestId) => clients.networks.delete({project, network, requestId}))
    return compute(ctx, c.address, (requestId) => clients.networks.patch({project, network, requestId, networkResource: {routingConfig: {routingMode: str(a.routing_mode)}, mtu: Number(a.mtu)}}))
  },
})
