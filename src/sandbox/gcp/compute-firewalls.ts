import {parseCidr} from '../../util/cidr.js'
import {COMPUTE_BASE, type SimContext} from './context.js'
import {P, checkName, globalOp} from './compute-common.js'
import {alreadyExists, invalid, notFound} from './errors.js'
import {listFilter} from './list-filter.js'
import {networkKeyOf} from './ranges.js'
import {page, route, type Route, type SimRequest} from './router.js'
import type {FirewallRecord} from './state.js'
import {firewallView} from './views.js'

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

export const firewallRoutes: Route[] = [
  route('GET', 'compute.firewalls.list', `${P}/global/firewalls`, (ctx, {params, query}) => {
    const items = Object.entries(ctx.state.firewalls)
      .filter(([k]) => k.startsWith(`${params.project}/`))
      .map(([, f]) => firewallView(params.project!, f))
      .filter(listFilter(query.get('filter')))
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

