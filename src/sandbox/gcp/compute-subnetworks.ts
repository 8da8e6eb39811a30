import {overlaps} from '../../util/cidr.js'
import {COMPUTE_BASE, type SimContext} from './context.js'
import {P, checkCidr, checkName, regionOp} from './compute-common.js'
import {alreadyExists, conditionNotMet, inUse, invalid, notFound} from './errors.js'
import {firstOverlap, networkKeyOf, peersOf, rangesOf} from './ranges.js'
import {page, route, type Route} from './router.js'
import {subnetworkView} from './views.js'

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

export const subnetRoutes: Route[] = [
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

