import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {firewallRuleName} from '../graph/firewalls.js'
import {DNS_LABEL, MAX_LABEL, networkName, peeringName, subnetworkName} from '../graph/names.js'
import {SHARED_NETWORK, isSharedNetwork, pairKey, peeringPairs, validLinks} from '../graph/topology.js'
import type {SpecPath} from '../spec/source-map.js'
import type {RuleContext} from './context.js'

interface Generated {
  readonly name: string
  readonly namespace: string
  readonly service: string
  readonly why: string
}

/**
 * Names mcfed or Linkerd will generate must be valid DNS-1035 labels and must not collide with a
 * declared service (a mirror named `api-west` would shadow a real `api-west`).
 */
export function namingRules(ctx: RuleContext): Diagnostic[] {
  return [...generatedServiceNames(ctx), ...cloudNames(ctx)]
}

function generatedServiceNames(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = []
  const services = ctx.spec.spec.services
  const generated: Generated[] = []
  for (const [svc, s] of Object.entries(services)) {
    if (s.mode === 'federated') generated.push({name: `${svc}-federated`, namespace: s.namespace, service: svc, why: 'federated service'})
  }
  for (const link of validLinks(ctx.spec)) {
    for (const [svc, s] of Object.entries(services)) {
      if (s.mode === 'federated' || s.mode !== link.mode || !s.clusters.includes(link.to)) continue
      generated.push({name: `${svc}-${link.name}`, namespace: s.namespace, service: svc, why: `mirror through Link ${link.name} in ${link.from}`})
    }
  }
  const reported = new Set<string>()
  for (const g of generated) {
    const key = `${g.namespace}/${g.name}`
    if (reported.has(key)) continue
    const declared = services[g.name]
    if (declared && declared.namespace === g.namespace) {
      reported.add(key)
      out.push({
        severity: 'error',
        rule: 'naming/collision',
        message: `service ${g.name} in namespace ${g.namespace} collides with the ${g.why} generated for ${g.service}`,
        locations: [ctx.at(['spec', 'services', g.name], 'key'), ctx.at(['spec', 'services', g.service], 'key')],
        hint: `rename service ${g.name} or ${g.service}; Linkerd names mirrors <svc>-<link> and federated services <svc>-federated`,
      })
      continue
    }
    const other = generated.find((o) => o !== g && o.namespace === g.namespace && o.name === g.name && o.service !== g.service)
    if (other) {
      reported.add(key)
      out.push({
        severity: 'error',
        rule: 'naming/collision',
        message: `${g.why} for ${g.service} and ${other.why} for ${other.service} are both named ${g.name} in namespace ${g.namespace}`,
        locations: [ctx.at(['spec', 'services', g.service], 'key'), ctx.at(['spec', 'services', other.service], 'key')],
        hint: 'rename one of the services or clusters',
      })
      continue
    }
    if (g.name.length > MAX_LABEL) {
      reported.add(key)
      out.push(tooLong(ctx, g.name, g.why, ['spec', 'services', g.service]))
    }
  }
  return out
}

function cloudNames(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = []
  const spec = ctx.spec
  const networks = new Map<string, string>()
  const shared = isSharedNetwork(spec)
  if (shared) {
    const net = spec.metadata.name
    if (net.length > MAX_LABEL || !DNS_LABEL.test(net)) out.push(tooLong(ctx, net, 'the shared network name', ['metadata', 'name']))
    const rule = firewallRuleName(spec, SHARED_NETWORK)
    if (rule.length > MAX_LABEL) out.push(tooLong(ctx, rule, 'the shared network\'s firewall rule', ['metadata', 'name']))
  }
  for (const cluster of Object.keys(spec.spec.clusters)) {
    if (shared) {
      const subnet = subnetworkName(spec, cluster)
      if (subnet.length > MAX_LABEL) out.push(tooLong(ctx, subnet, `subnet name of ${cluster}`, ['spec', 'clusters', cluster]))
      continue
    }
    const net = networkName(spec, cluster)
    const custom = spec.spec.clusters[cluster]!.network.name !== undefined
    const path: SpecPath = custom ? ['spec', 'clusters', cluster, 'network', 'name'] : ['spec', 'clusters', cluster]
    const owner = networks.get(net)
    if (owner) {
      out.push({
        severity: 'error',
        rule: 'naming/duplicate',
        message: `clusters ${owner} and ${cluster} would share network ${net}`,
        locations: [ctx.at(path, 'key'), ctx.at(['spec', 'clusters', owner], 'key')],
        hint: 'each cluster gets its own VPC; give them different network.name values',
      })
    }
    networks.set(net, cluster)
    if (net.length > MAX_LABEL || !DNS_LABEL.test(net)) out.push(tooLong(ctx, net, `network name of ${cluster}`, path))
    const rule = firewallRuleName(spec, cluster)
    if (rule.length > MAX_LABEL) out.push(tooLong(ctx, rule, `firewall rule of ${cluster}`, path))
  }
  for (const key of new Set(peeringPairs(spec).filter((p) => p.a !== p.b && spec.spec.clusters[p.a] && spec.spec.clusters[p.b]).map((p) => pairKey(p.a, p.b)))) {
    const [a, b] = key.split('\u0000') as [string, string]
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      const name = peeringName(spec, x, y)
      if (name.length > MAX_LABEL) out.push(tooLong(ctx, name, `peering on ${x} toward ${y}`, ['spec', 'clusters', x]))
    }
  }
  return out
}

function tooLong(ctx: RuleContext, name: string, what: string, path: SpecPath): Diagnostic {
  return {
    severity: 'error',
    rule: 'naming/too-long',
    message: `${what} would be ${name} (${name.length} characters); names are DNS-1035 labels of at most ${MAX_LABEL}`,
    locations: [ctx.at(path, 'key')],
    hint: 'shorten metadata.name, the cluster names or the service names',
  }
}
