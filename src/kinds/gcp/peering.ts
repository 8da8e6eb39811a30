import {lastSegment} from '../../graph/ownership.js'
import {address, type ObservedResource} from '../../graph/resource.js'
import type {Diagnostic} from '../../diagnostics/diagnostic.js'
import {ProviderError} from '../../diagnostics/errors.js'
import {compute, networkRef, str, type MutationContext} from '../../providers/gcp/mutation.js'
import {withRetry} from '../../providers/gcp/retry.js'
import {gcpKind, type GcpKind} from './gcp-kind.js'

export const gcpPeering: GcpKind<'gcp_peering'> = gcpKind('gcp_peering', {
  // Networks embed their peerings: no list of its own.
  lists: ['networks'],

  observe({networks}, {networkClusters}) {
    const resources: ObservedResource[] = []
    const diagnostics: Diagnostic[] = []
    const byName = new Map(networks.map((n) => [n.name ?? '', n]))
    for (const n of networks) {
      const cluster = networkClusters.get(n.name ?? '')
      if (!cluster) continue
      for (const p of n.peerings ?? []) {
        const peer = networkClusters.get(lastSegment(p.network))
        if (!peer) continue
        const addr = address('gcp_peering', `${cluster}-${peer}`)
        resources.push({
          address: addr,
          kind: 'gcp_peering',
          name: `${cluster}-${peer}`,
          cluster,
          owned: true,
          dependsOn: [address('gcp_network', cluster), address('gcp_network', peer)],
          attributes: {
            name: p.name ?? '',
            network: n.name ?? '',
            peer_network: lastSegment(p.network),
            exchange_subnet_routes: Boolean(p.exchangeSubnetRoutes ?? true),
            export_custom_routes: Boolean(p.exportCustomRoutes),
            import_custom_routes: Boolean(p.importCustomRoutes),
            state: p.state ?? 'INACTIVE',
          },
        })
        // Only an inactive half looks for its other half: looking for every half is quadratic per network.
        const back = () => byName.get(lastSegment(p.network))?.peerings?.some((q) => lastSegment(q.network) === n.name)
        if (p.state !== 'ACTIVE' && back()) {
          diagnostics.push({
            severity: 'warning',
            rule: 'peering/inactive',
            message: `peering ${p.name} on ${n.name} is ${p.state} although both halves exist`,
            locations: [],
            addresses: [addr],
            hint: 'GCP may still be connecting it; if it stays INACTIVE, check the peer network and overlapping ranges',
          })
        }
      }
    }
    return {resources, diagnostics}
  },

  async mutate(ctx, m, c) {
    const {clients, project} = ctx
    const a = (m === 'delete' ? c.before : c.after) ?? {}
    const network = str(a.network)
    const peer = str(a.peer_network)
    // GCP refuses concurrent peering changes on one network: serialize per network, both ends.
    await ctx.peeringLocks.withLocks([network, peer], async () => {
      if (m === 'create') {
        await compute(ctx, c.address, (requestId) =>
          clients.networks.addPeering({
            project,
            network,
            requestId,
            networksAddPeeringRequestResource: {
              networkPeering: {
                name: str(a.name),
                network: networkRef(project, peer),
                exchangeSubnetRoutes: true,
                exportCustomRoutes: Boolean(a.export_custom_routes),
                importCustomRoutes: Boolean(a.import_custom_routes),
              },
            },
          }),
        )
      } else if (m === 'delete') {
        await compute(ctx, c.address, (requestId) => clients.networks.removePeering({project, network, requestId, networksRemovePeeringRequestResource: {name: str(a.name)}}))
      } else {
        await compute(ctx, c.address, (requestId) =>
          clients.networks.updatePeering({
            project,
            network,
            requestId,
            networksUpdatePeeringRequestResource: {
              networkPeering: {name: str(a.name), exportCustomRoutes: Boolean(a.export_custom_routes), importCustomRoutes: Boolean(a.import_custom_routes)},
            },
          }),
        )
      }
    })
    if (m === 'create') await awaitActiveIfPeered(ctx, c.address, network, peer, str(a.name))
  },
})

/** When the other half exists, the peering must turn ACTIVE: wait for it rather than trust the op. */
async function awaitActiveIfPeered(ctx: MutationContext, resource: string, network: string, peer: string, name: string): Promise<void> {
  const {clients, project} = ctx
  const start = Date.now()
  for (;;) {
    const [[mine], [theirs]] = await Promise.all([
      withRetry(() => clients.networks.get({project, network}), ctx.retry),
      withRetry(() => clients.networks.get({project, network: peer}), ctx.retry).catch(() => [undefined] as const),
    ])
    const back = theirs?.peerings?.some((p) => (p.network ?? '').endsWith(`/networks/${network}`))
    const state = mine.peerings?.find((p) => p.name === name)?.state
    if (!back || state === 'ACTIVE') return
    if (Date.now() - start > ctx.wait.timeoutMs) {
      throw new ProviderError(`peering ${name} on ${network} stayed ${state} after both halves were created`, {resource, reason: 'peeringInactive'})
    }
    await new Promise((r) => setTimeout(r, ctx.wait.pollMs))
  }
}
