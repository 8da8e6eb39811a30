import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {clusterNames, derivedLinks, pairKey, podsReach} from '../graph/topology.js'
import type {RuleContext} from './context.js'

/** Links join two declared, distinct clusters; names are unique per cluster; flat links need peering. */
export function linkRules(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = []
  const clusters = ctx.spec.spec.clusters
  const reach = podsReach(ctx.spec)
  const byName = new Map<string, (typeof links)[number]>()
  const unpeeredReported = new Set<string>()
  const links = derivedLinks(ctx.spec)
  for (const l of links) {
    const endpoints = [
      ['from', l.from],
      ['to', l.to],
    ] as const
    let broken = false
    for (const [field, name] of endpoints) {
      if (clusters[name]) continue
      broken = true
      out.push({
        severity: 'error',
        rule: 'links/unknown-cluster',
        message: `link ${field} \`${name}\` is not a declared cluster`,
        locations: [ctx.at(l.origin === 'explicit' ? [...l.path, field] : l.path)],
        hint: `declared clusters: ${clusterNames(ctx.spec).join(', ')}`,
      })
    }
    if (broken) continue
    if (l.from === l.to) {
      out.push({
        severity: 'error',
        rule: 'links/self',
        message: `cluster ${l.from} links to itself`,
        locations: [ctx.at(l.path)],
        hint: 'a Link mirrors services from another cluster; remove this entry',
      })
      continue
    }
    const key = `${l.from}\u0000${l.name}`
    const earlier = byName.get(key)
    if (earlier) {
      out.push({
        severity: 'error',
        rule: 'links/duplicate-name',
        message: `cluster ${l.from} would hold two Links named ${l.name} (to ${earlier.to} ${earlier.mode}, and to ${l.to} ${l.mode})`,
        locations: [ctx.at(l.path), ctx.at(earlier.path)],
        hint: 'a gateway link is named <to>-gw; rename the cluster whose name ends in -gw or drop one of the links',
      })
    } else {
      byName.set(key, l)
    }
    if (l.mode !== 'flat' || reach(l.from, l.to)) continue
    const pair = pairKey(l.from, l.to)
    if (!unpeeredReported.has(pair)) {
      unpeeredReported.add(pair)
      out.push({
        severity: 'error',
        rule: 'links/not-peered',
        message: `flat link ${l.from} → ${l.to} needs pod-to-pod reachability, but ${l.from} and ${l.to} are not peered`,
        locations: [ctx.at(l.path), ctx.at(['spec', 'peering'])],
        hint: `add [${l.from}, ${l.to}] to spec.peering (VPC peering is not transitive), or use mode: gateway for this link`,
      })
    }
  }
  return out
}
