import {COMPUTE_BASE, type SimContext} from './context.js'
import {P, checkName, globalOp} from './compute-common.js'
import {alreadyExists, badRequest, invalid, notFound} from './errors.js'
import {firstOverlap, networkKeyOf, rangesOf} from './ranges.js'
import {page, route, type Route} from './router.js'
import {networkNeighbours, networkView} from './views.js'

function network(ctx: SimContext, project: string, name: string) {
  const n = ctx.state.networks[`${project}/${name}`]
  if (!n) throw notFound(`projects/${project}/global/networks/${name}`)
  return n
}

/** One peering operation at a time across a network and its peer, as GCP enforces. */
function assertNoPeeringInProgress(ctx: SimContext, keys: string[]): void {
  const busy = Object.values(ctx.state.operations).some((op) => !ctx.isDone(op) && op.locks.some((l) => keys.includes(l)))
  if (busy) throw badRequest('There is a peering operation in progress on the local or peer network. Try again later.')
}

export const networkRoutes: Route[] = [
  route('GET', 'compute.networks.list', `${P}/global/networks`, (ctx, {params, query}) => {
    const neighbours = networkNeighbours(ctx, params.project!)
    const items = Object.entries(ctx.state.networks)
      .filter(([k]) => k.startsWith(`${params.project}/`))
      .map(([, n]) => networkView(ctx, params.project!, n, neighbours))
    return {kind: 'compute#networkList', id: `projects/${params.project}/global/networks`, ...page(items, query), selfLink: `${COMPUTE_BASE}/projects/${params.project}/global/networks`}
  }),
  route('GET', 'compute.networks.get', `${P}/global/networks/{network}`, (ctx, {params}) => networkView(ctx, params.project!, network(ctx, params.project!, params.network!))),
  route('POST', 'compute.networks.insert', `${P}/global/networks`, (ctx, {params, body}) => {
    const name = checkName(body?.name, 'resource.name')
    const key = `${params.project}/${name}`
    if (ctx.state.networks[key]) throw alreadyExists(`projects/${params.project}/global/networks/${name}`)
    if (body.autoCreateSubnetworks === undefined) throw invalid("Invalid value for field 'resource.autoCreateSubnetworks': legacy networks are not supported; set autoCreateSubnetworks.")
    const mtu = body.mtu ?? 1460
    if (mtu < 1300 || mtu > 8896) throw invalid(`Invalid value for field 'resource.mtu': '${mtu}'. Must be between 1300 and 8896.`)
    if (!ctx.suppressed) {
      ctx.state.networks[key] = {
        id: ctx.id(),
        name,
        description: body.description ?? '',
        autoCreateSubnetworks: Boolean(body.autoCreateSubnetworks),
        routingMode: body.routingConfig?.routingMode ?? 'REGIONAL',
        mtu,
        peerings: [],
        created: ctx.now(),
      }
    }
    return globalOp(ctx, params.project!, 'insert', `${COMPUTE_BASE}/projects/${params.project}/global/networks/${name}`)
  }),
  route('PATCH', 'compute.networks.patch', `${P}/global/networks/{network}`, (ctx, {params, body}) => {
    const n = network(ctx, params.project!, params.network!)
    if (body?.name && body.name !== n.name) throw invalid("Invalid value for field 'resource.name': the name of a network cannot be changed.")
    if (body?.autoCreateSubnetworks !== undefined && body.autoCreateSubnetworks !== n.autoCreateSubnetworks) {
      throw invalid("Invalid value for field 'resource.autoCreateSubnetworks': use switchToCustomMode.")
    }
    if (!ctx.suppressed) {
      if (body?.routingConfig?.routingMode) n.routingMode = body.routingConfig.routingMode
      if (body?.mtu) n.mtu = body.mtu
    }
    return globalOp(ctx, params.project!, 'patch', `${COMPUTE_BASE}/projects/${params.project}/global/networks/${n.name}`)
  }),
  route('DELETE', 'compute.networks.delete', `${P}/global/networks/{network}`, (ctx, {params}) => {
    const key = `${params.project}/${params.network}`
    const n = network(ctx, params.project!, params.network!)
    const target = `${COMPUTE_BASE}/projects/${params.project}/global/networks/${n.name}`
    // GCP refuses to delete a network something still uses, and says so on the operation.
    const subnet = Object.values(ctx.state.subnetworks).find((s) => s.network === key)
    const firewall = Object.values(ctx.state.firewalls).find((f) => f.network === key)
    const user = subnet
      ? `projects/${params.project}/regions/${subnet.region}/subnetworks/${subnet.name}`
      : firewall
        ? `projects/${params.project}/global/firewalls/${firewall.name}`
        : n.peerings[0]
          ? `peering ${n.peerings[0].name}`
          : undefined
    if (user) {
      const message = `The network resource 'projects/${params.project}/global/networks/${n.name}' is already being used by '${user}'`
      return globalOp(ctx, params.project!, 'delete', target, {error: {code: 'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE', message, httpStatus: 400}})
    }
    if (!ctx.suppressed) delete ctx.state.networks[key]
    return globalOp(ctx, params.project!, 'delete', target)
  }),
  route('POST', 'compute.networks.addPeering', `${P}/global/networks/{network}/addPeering`, (ctx, {params, body}) => {
    const n = network(ctx, params.project!, params.network!)
    const key = `${params.project}/${n.name}`
    const peering = body?.networkPeering ?? {name: body?.name, network: body?.peerNetwork, exchangeSubnetRoutes: body?.autoCreateRoutes}
    const name = checkName(peering?.name, 'networkPeering.name')
    if (typeof peering.network !== 'string') throw invalid("Required field 'networkPeering.network' not specified")
    const peerKey = networkKeyOf(peering.network, params.project!)
    if (peerKey === key) throw invalid('A network cannot be peered with itself.')
    if (n.peerings.some((p) => p.name === name)) throw alreadyExists(`projects/${params.project}/global/networks/${n.name}/peerings/${name}`)
    if (n.peerings.some((p) => networkKeyOf(p.network, params.project!) === peerKey)) {
      throw badRequest(`There is already a peering between '${n.name}' and '${peerKey.split('/')[1]}'.`)
    }
    assertNoPeeringInProgress(ctx, [key, peerKey])
    if (ctx.state.networks[peerKey]) {
      const hit = firstOverlap(
        rangesOf(ctx.state, key).map((r) => r.cidr),
        rangesOf(ctx.state, peerKey),
      )
      if (hit) {
        throw badRequest(
          `An IP range in the peer network (${hit.existing.cidr.text} of subnetwork '${hit.existing.subnet.name}') overlaps with an IP range (${hit.candidate.text}) in the local network.`,
        )
      }
    }
    if (!ctx.suppressed) {
      n.peerings.push({
        name,
        network: `projects/${peerKey.split('/')[0]}/global/networks/${peerKey.split('/')[1]}`,
        exchangeSubnetRoutes: peering.exchangeSubnetRoutes ?? true,
        exportCustomRoutes: Boolean(peering.exportCustomRoutes),
        importCustomRoutes: Boolean(peering.importCustomRoutes),
      })
    }
    return globalOp(ctx, params.project!, 'addPeering', `${COMPUTE_BASE}/projects/${params.project}/global/networks/${n.name}`, {locks: [key, peerKey]})
  }),
  route('POST', 'compute.networks.removePeering', `${P}/global/networks/{network}/removePeering`, (ctx, {params, body}) => {
    const n = network(ctx, params.project!, params.network!)
    const key = `${params.project}/${n.name}`
    const p = n.peerings.find((x) => x.name === body?.name)
    if (!p) throw notFound(`projects/${params.project}/global/networks/${n.name}/peerings/${String(body?.name)}`)
    const peerKey = networkKeyOf(p.network, params.project!)
    assertNoPeeringInProgress(ctx, [key, peerKey])
    if (!ctx.suppressed) n.peerings = n.peerings.filter((x) => x !== p)
    return globalOp(ctx, params.project!, 'removePeering', `${COMPUTE_BASE}/projects/${params.project}/global/networks/${n.name}`, {locks: [key, peerKey]})
  }),
  route('PATCH', 'compute.networks.updatePeering', `${P}/global/networks/{network}/updatePeering`, (ctx, {params, body}) => {
    const n = network(ctx, params.project!, params.network!)
    const key = `${params.project}/${n.name}`
    const update = body?.networkPeering ?? {}
    const p = n.peerings.find((x) => x.name === update.name)
    if (!p) throw notFound(`projects/${params.project}/global/networks/${n.name}/peerings/${String(update.name)}`)
    if (update.network && networkKeyOf(update.network, params.project!) !== networkKeyOf(p.network, params.project!)) throw invalid('The peer network of a peering cannot be changed.')
    const peerKey = networkKeyOf(p.network, params.project!)
    assertNoPeeringInProgress(ctx, [key, peerKey])
    if (!ctx.suppressed) {
      if (update.exportCustomRoutes !== undefined) p.exportCustomRoutes = Boolean(update.exportCustomRoutes)
      if (update.importCustomRoutes !== undefined) p.importCustomRoutes = Boolean(update.importCustomRoutes)
    }
    return globalOp(ctx, params.project!, 'updatePeering', `${COMPUTE_BASE}/projects/${params.project}/global/networks/${n.name}`, {locks: [key, peerKey]})
  }),
]

