import {overlaps, parseCidr} from '../../util/cidr.js'
import {COMPUTE_BASE, type SimContext} from './context.js'
import {alreadyExists, badRequest, conditionNotMet, inUse, invalid, notFound} from './errors.js'
import {firstOverlap, networkKeyOf, peersOf, rangesOf} from './ranges.js'
import {page, route, type Route, type SimRequest} from './router.js'
import type {FirewallRecord, OperationRecord} from './state.js'
import {computeOperationView, firewallView, networkView, subnetworkView} from './views.js'

const NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/
const P = '/compute/v1/projects/{project}'

function checkName(name: unknown, field: string): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw invalid(`Invalid value for field '${field}': '${String(name)}'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'`)
  }
  return name
}

function checkCidr(text: unknown, field: string) {
  const p = typeof text === 'string' ? parseCidr(text) : undefined
  if (!p || !p.ok || !p.canonical) throw invalid(`Invalid value for field '${field}': '${String(text)}'. Invalid IPCidrRange: ${String(text)}.`)
  return p.cidr
}

function globalOp(ctx: SimContext, project: string, type: string, target: string, extra: Partial<OperationRecord> = {}): object {
  const op = ctx.startOperation({api: 'compute', scope: 'global', operationType: type, targetLink: target, locks: [], durationMs: ctx.options.operationMs, ...extra})
  ctx.persist()
  return computeOperationView(ctx, project, op)
}

function regionOp(ctx: SimContext, project: string, region: string, type: string, target: string): object {
  const op = ctx.startOperation({api: 'compute', scope: `regions/${region}`, operationType: type, targetLink: target, locks: [], durationMs: ctx.options.operationMs})
  ctx.persist()
  return computeOperationView(ctx, project, op)
}

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

const networkRoutes: Route[] = [
  route('GET', 'compute.networks.list', `${P}/global/networks`, (ctx, {params, query}) => {
    const items = Object.entries(ctx.state.networks)
      .filter(([k]) => k.startsWith(`${params.project}/`))
      .map(([, n]) => networkView(ctx, params.project!, n))
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
    const user =
      Object.values(ctx.state.subnetworks).find((s) => s.network === key)?.name ??
      Object.values(ctx.state.firewalls).find((f) => f.network === key)?.name
    if (user || n.peerings.length > 0) {
      const by = user
        ? Object.values(ctx.state.subnetworks).some((s) => s.name === user && s.network === key)
          ? `projects/${params.project}/regions/${Object.values(ctx.state.subnetworks).find((s) => s.name === user)!.region}/subnetworks/${user}`
          : `projects/${params.project}/global/firewalls/${user}`
        : `peering ${n.peerings[0]!.name}`
      const op = ctx.startOperation({
        api: 'compute',
        scope: 'global',
        operationType: 'delete',
        targetLink: target,
        locks: [],
        durationMs: ctx.options.operationMs,
        error: {code: 'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE', message: `The network resource 'projects/${params.project}/global/networks/${n.name}' is already being used by '${by}'`, httpStatus: 400},
      })
      ctx.persist()
      return computeOperationView(ctx, params.project!, op)
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

function subnetwork(ctx: SimContext, project: string, region: string, name: string) {
  const s = ctx.state.subnetworks[`${project}/${region}/${name}`]
  if (!s) throw notFound(`projects/${project}/regions/${region}/subnetworks/${name}`)
  return s
}

/** A new range may not overlap anything in its own network or in any peered network. */
function assertNoSubnetOverlap(ctx: SimContext, networkKey: string, ranges: {field: string; text: string}[], except?: string): void {
  const cidrs = ranges.map((r) => ({...r, cidr: checkCidr(r.text, r.field)}))
  const local = rangesOf(ctx.state, networkKey).filter((r) => r.subnet.name !== except)
  for (const c of cidrs) {
    const hit = firstOverlap([c.cidr], local)
    if (hit) {
      throw invalid(
        `Invalid value for field '${c.field}': '${c.text}'. Invalid IPCidrRange: ${c.text} conflicts with existing subnetwork '${hit.existing.subnet.name}' in region '${hit.existing.subnet.region}'.`,
      )
    }
    for (const peer of peersOf(ctx.state, networkKey)) {
      const phit = firstOverlap([c.cidr], rangesOf(ctx.state, peer))
      if (phit) {
        throw invalid(
          `Invalid value for field '${c.field}': '${c.text}'. Invalid IPCidrRange: ${c.text} conflicts with subnetwork '${phit.existing.subnet.name}' in peer network '${peer.split('/')[1]}'.`,
        )
      }
    }
  }
  const all = cidrs.map((c) => c.cidr)
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      if (overlaps(all[i]!, all[j]!)) {
        throw invalid(`Invalid value for field '${cidrs[j]!.field}': '${cidrs[j]!.text}'. Invalid IPCidrRange: ${cidrs[j]!.text} conflicts with ${cidrs[i]!.text} of the same subnetwork.`)
      }
    }
  }
}

const subnetRoutes: Route[] = [
  route('GET', 'compute.subnetworks.aggregatedList', `${P}/aggregated/subnetworks`, (ctx, {params}) => {
    const items: Record<string, object> = {}
    for (const [k, s] of Object.entries(ctx.state.subnetworks)) {
      if (!k.startsWith(`${params.project}/`)) continue
      const scope = `regions/${s.region}`
      const entry = (items[scope] ??= {subnetworks: []}) as {subnetworks: object[]}
      entry.subnetworks.push(subnetworkView(params.project!, s))
    }
    return {kind: 'compute#subnetworkAggregatedList', id: `projects/${params.project}/aggregated/subnetworks`, items, selfLink: `${COMPUTE_BASE}/projects/${params.project}/aggregated/subnetworks`}
  }),
  route('GET', 'compute.subnetworks.list', `${P}/regions/{region}/subnetworks`, (ctx, {params, query}) => {
    const items = Object.values(ctx.state.subnetworks)
      .filter((s) => s.region === params.region && ctx.state.subnetworks[`${params.project}/${s.region}/${s.name}`] === s)
      .map((s) => subnetworkView(params.project!, s))
    return {kind: 'compute#subnetworkList', ...page(items, query), selfLink: `${COMPUTE_BASE}/projects/${params.project}/regions/${params.region}/subnetworks`}
  }),
  route('GET', 'compute.subnetworks.get', `${P}/regions/{region}/subnetworks/{subnetwork}`, (ctx, {params}) =>
    subnetworkView(params.project!, subnetwork(ctx, params.project!, params.region!, params.subnetwork!)),
  ),
  route('POST', 'compute.subnetworks.insert', `${P}/regions/{region}/subnetworks`, (ctx, {params, body}) => {
    const name = checkName(body?.name, 'resource.name')
    const key = `${params.project}/${params.region}/${name}`
    if (ctx.state.subnetworks[key]) throw alreadyExists(`projects/${params.project}/regions/${params.region}/subnetworks/${name}`)
    if (typeof body.network !== 'string') throw invalid("Required field 'resource.network' not specified")
    const networkKey = networkKeyOf(body.network, params.project!)
    if (!ctx.state.networks[networkKey]) throw notFound(`projects/${networkKey.split('/')[0]}/global/networks/${networkKey.split('/')[1]}`)
    const secondary: {rangeName: string; ipCidrRange: string}[] = body.secondaryIpRanges ?? []
    secondary.forEach((r, i) => {
      if (!r.rangeName) throw invalid(`Required field 'resource.secondaryIpRanges[${i}].rangeName' not specified`)
    })
    if (secondary.length > 30) throw invalid('Exceeded maximum supported number of secondary ranges per subnetwork: 30.')
    assertNoSubnetOverlap(ctx, networkKey, [
      {field: 'resource.ipCidrRange', text: body.ipCidrRange},
      ...secondary.map((r, i) => ({field: `resource.secondaryIpRanges[${i}].ipCidrRange`, text: r.ipCidrRange})),
    ])
    if (!ctx.suppressed) {
      ctx.state.subnetworks[key] = {
        id: ctx.id(),
        name,
        description: body.description ?? '',
        region: params.region!,
        network: networkKey,
        ipCidrRange: body.ipCidrRange,
        secondaryIpRanges: secondary.map((r) => ({rangeName: r.rangeName, ipCidrRange: r.ipCidrRange})),
        privateIpGoogleAccess: Boolean(body.privateIpGoogleAccess),
        fingerprint: ctx.fingerprint(),
        created: ctx.now(),
      }
    }
    return regionOp(ctx, params.project!, params.region!, 'insert', `${COMPUTE_BASE}/projects/${params.project}/regions/${params.region}/subnetworks/${name}`)
  }),
  route('PATCH', 'compute.subnetworks.patch', `${P}/regions/{region}/subnetworks/{subnetwork}`, (ctx, {params, body}) => {
    const s = subnetwork(ctx, params.project!, params.region!, params.subnetwork!)
    if (!body?.fingerprint || body.fingerprint !== s.fingerprint) {
      throw conditionNotMet('Supplied fingerprint does not match current metadata fingerprint.')
    }
    if (body.secondaryIpRanges) {
      const removed = s.secondaryIpRanges.filter((r) => !body.secondaryIpRanges.some((n: {rangeName: string}) => n.rangeName === r.rangeName))
      const user = Object.values(ctx.state.clusters).find(
        (c) => c.subnetwork === s.name && removed.some((r) => r.rangeName === c.clusterSecondaryRangeName || r.rangeName === c.servicesSecondaryRangeName),
      )
      if (user) throw inUse(`The secondary range of subnetwork '${s.name}' is in use by cluster '${user.name}'.`)
      assertNoSubnetOverlap(
        ctx,
        s.network,
        body.secondaryIpRanges.map((r: {ipCidrRange: string}, i: number) => ({field: `resource.secondaryIpRanges[${i}].ipCidrRange`, text: r.ipCidrRange})).concat([{field: 'resource.ipCidrRange', text: s.ipCidrRange}]),
        s.name,
      )
    }
    if (!ctx.suppressed) {
      if (body.secondaryIpRanges) s.secondaryIpRanges = body.secondaryIpRanges
      if (body.privateIpGoogleAccess !== undefined) s.privateIpGoogleAccess = Boolean(body.privateIpGoogleAccess)
      if (body.description !== undefined) s.description = body.description
      s.fingerprint = ctx.fingerprint()
    }
    return regionOp(ctx, params.project!, params.region!, 'patch', `${COMPUTE_BASE}/projects/${params.project}/regions/${params.region}/subnetworks/${s.name}`)
  }),
  route('POST', 'compute.subnetworks.setPrivateIpGoogleAccess', `${P}/regions/{region}/subnetworks/{subnetwork}/setPrivateIpGoogleAccess`, (ctx, {params, body}) => {
    const s = subnetwork(ctx, params.project!, params.region!, params.subnetwork!)
    if (!ctx.suppressed) {
      s.privateIpGoogleAccess = Boolean(body?.privateIpGoogleAccess)
      s.fingerprint = ctx.fingerprint()
    }
    return regionOp(ctx, params.project!, params.region!, 'setPrivateIpGoogleAccess', `${COMPUTE_BASE}/projects/${params.project}/regions/${params.region}/subnetworks/${s.name}`)
  }),
  route('DELETE', 'compute.subnetworks.delete', `${P}/regions/{region}/subnetworks/{subnetwork}`, (ctx, {params}) => {
    const s = subnetwork(ctx, params.project!, params.region!, params.subnetwork!)
    const user = Object.values(ctx.state.clusters).find((c) => c.subnetwork === s.name && `${params.project}/${c.network}` === s.network)
    if (user) {
      throw inUse(`The subnetwork resource 'projects/${params.project}/regions/${s.region}/subnetworks/${s.name}' is already being used by 'projects/${params.project}/zones/${user.location}/instances/gke-${user.name}-default-pool-node'`)
    }
    if (!ctx.suppressed) delete ctx.state.subnetworks[`${params.project}/${params.region}/${s.name}`]
    return regionOp(ctx, params.project!, params.region!, 'delete', `${COMPUTE_BASE}/projects/${params.project}/regions/${params.region}/subnetworks/${s.name}`)
  }),
]

function firewallFrom(ctx: SimContext, project: string, body: SimRequest['body'], existing?: FirewallRecord): FirewallRecord {
  const network = body?.network ? networkKeyOf(body.network, project) : (existing?.network ?? `${project}/default`)
  if (!ctx.state.networks[network]) throw notFound(`projects/${network.split('/')[0]}/global/networks/${network.split('/')[1]}`)
  for (const [i, r] of ((body?.sourceRanges ?? []) as string[]).entries()) {
    const p = parseCidr(r.includes('/') ? r : `${r}/32`)
    if (!p.ok) throw invalid(`Invalid value for field 'resource.sourceRanges[${i}]': '${r}'. Must be a CIDR address range that is contained in 0.0.0.0/0.`)
  }
  const direction = body?.direction ?? existing?.direction ?? 'INGRESS'
  if (existing && direction !== existing.direction) throw invalid("Invalid value for field 'resource.direction': direction cannot be changed.")
  return {
    id: existing?.id ?? ctx.id(),
    name: existing?.name ?? checkName(body?.name, 'resource.name'),
    description: body?.description ?? existing?.description ?? '',
    network,
    direction,
    priority: body?.priority ?? existing?.priority ?? 1000,
    sourceRanges: body?.sourceRanges ?? existing?.sourceRanges ?? [],
    allowed: body?.allowed ?? existing?.allowed ?? [],
    disabled: body?.disabled ?? existing?.disabled ?? false,
    created: existing?.created ?? ctx.now(),
  }
}

const firewallRoutes: Route[] = [
  route('GET', 'compute.firewalls.list', `${P}/global/firewalls`, (ctx, {params, query}) => {
    const items = Object.entries(ctx.state.firewalls)
      .filter(([k]) => k.startsWith(`${params.project}/`))
      .map(([, f]) => firewallView(params.project!, f))
    return {kind: 'compute#firewallList', ...page(items, query), selfLink: `${COMPUTE_BASE}/projects/${params.project}/global/firewalls`}
  }),
  route('GET', 'compute.firewalls.get', `${P}/global/firewalls/{firewall}`, (ctx, {params}) => {
    const f = ctx.state.firewalls[`${params.project}/${params.firewall}`]
    if (!f) throw notFound(`projects/${params.project}/global/firewalls/${params.firewall}`)
    return firewallView(params.project!, f)
  }),
  route('POST', 'compute.firewalls.insert', `${P}/global/firewalls`, (ctx, {params, body}) => {
    const f = firewallFrom(ctx, params.project!, body)
    const key = `${params.project}/${f.name}`
    if (ctx.state.firewalls[key]) throw alreadyExists(`projects/${params.project}/global/firewalls/${f.name}`)
    if (!ctx.suppressed) ctx.state.firewalls[key] = f
    return globalOp(ctx, params.project!, 'insert', `${COMPUTE_BASE}/projects/${params.project}/global/firewalls/${f.name}`)
  }),
  ...(['PATCH', 'PUT'] as const).map((method) =>
    route(method, method === 'PATCH' ? 'compute.firewalls.patch' : 'compute.firewalls.update', `${P}/global/firewalls/{firewall}`, (ctx, {params, body}) => {
      const key = `${params.project}/${params.firewall}`
      const existing = ctx.state.firewalls[key]
      if (!existing) throw notFound(`projects/${params.project}/global/firewalls/${params.firewall}`)
      // PUT replaces the whole resource: unspecified fields reset to their defaults.
      const base = method === 'PUT' ? {...existing, sourceRanges: [], allowed: [], description: '', priority: 1000, disabled: false} : existing
      const f = firewallFrom(ctx, params.project!, body, base)
      if (!ctx.suppressed) ctx.state.firewalls[key] = f
      return globalOp(ctx, params.project!, method === 'PATCH' ? 'patch' : 'update', `${COMPUTE_BASE}/projects/${params.project}/global/firewalls/${f.name}`)
    }),
  ),
  route('DELETE', 'compute.firewalls.delete', `${P}/global/firewalls/{firewall}`, (ctx, {params}) => {
    const key = `${params.project}/${params.firewall}`
    if (!ctx.state.firewalls[key]) throw notFound(`projects/${params.project}/global/firewalls/${params.firewall}`)
    if (!ctx.suppressed) delete ctx.state.firewalls[key]
    return globalOp(ctx, params.project!, 'delete', `${COMPUTE_BASE}/projects/${params.project}/global/firewalls/${params.firewall}`)
  }),
]

function findOp(ctx: SimContext, name: string): OperationRecord {
  const op = ctx.state.operations[`compute/${name}`]
  if (!op) throw notFound(`operations/${name}`)
  return op
}

async function waitFor(ctx: SimContext, op: OperationRecord): Promise<void> {
  const until = ctx.now() + ctx.options.waitCapMs
  while (!ctx.isDone(op) && ctx.now() < until) {
    const left = Math.min(until, op.doneAt ?? until) - ctx.now()
    await new Promise((r) => setTimeout(r, Math.max(1, Math.min(left, 50))))
  }
}

const operationRoutes: Route[] = [
  route('GET', 'compute.globalOperations.get', `${P}/global/operations/{operation}`, (ctx, {params}) => computeOperationView(ctx, params.project!, findOp(ctx, params.operation!))),
  route('POST', 'compute.globalOperations.wait', `${P}/global/operations/{operation}/wait`, async (ctx, {params}) => {
    const op = findOp(ctx, params.operation!)
    await waitFor(ctx, op)
    return computeOperationView(ctx, params.project!, op)
  }),
  route('GET', 'compute.regionOperations.get', `${P}/regions/{region}/operations/{operation}`, (ctx, {params}) => computeOperationView(ctx, params.project!, findOp(ctx, params.operation!))),
  route('POST', 'compute.regionOperations.wait', `${P}/regions/{region}/operations/{operation}/wait`, async (ctx, {params}) => {
    const op = findOp(ctx, params.operation!)
    await waitFor(ctx, op)
    return computeOperationView(ctx, params.project!, op)
  }),
]

const projectRoutes: Route[] = [
  route('GET', 'compute.projects.get', `${P}`, (ctx, {params}) => ({
    kind: 'compute#project',
    id: '123456789012',
    name: params.project,
    commonInstanceMetadata: {kind: 'compute#metadata', fingerprint: ctx.state.metadata.fingerprint, items: ctx.state.metadata.items},
    selfLink: `${COMPUTE_BASE}/projects/${params.project}`,
  })),
  route('POST', 'compute.projects.setCommonInstanceMetadata', `${P}/setCommonInstanceMetadata`, (ctx, {params, body}) => {
    if (body?.fingerprint !== ctx.state.metadata.fingerprint) {
      throw conditionNotMet('Supplied fingerprint does not match current metadata fingerprint.')
    }
    if (!ctx.suppressed) ctx.state.metadata = {fingerprint: ctx.fingerprint(), items: (body.items ?? []).map((i: {key: string; value?: string}) => ({key: i.key, value: i.value ?? ''}))}
    return globalOp(ctx, params.project!, 'setMetadata', `${COMPUTE_BASE}/projects/${params.project}`)
  }),
]

export const computeRoutes: Route[] = [...networkRoutes, ...subnetRoutes, ...firewallRoutes, ...operationRoutes, ...projectRoutes]
