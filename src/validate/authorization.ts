import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {callerClusters, callerPath, gatewayIdentity, trustDomainOf} from '../graph/authorization.js'
import {clusterNames, validLinks} from '../graph/topology.js'
import type {RuleContext} from './context.js'

/**
 * Allow lists: ports to put a Server on, callers in declared clusters on declared ports, and the
 * two traps of cross-cluster authorization. Through a gateway the caller's identity never arrives
 * (the gateway's does, linkerd2#9848); and clusters sharing a trust domain share identities, so a
 * rule for a caller in one admits the same ServiceAccount in the others.
 */
export function authorizationRules(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = []
  const {spec} = ctx
  const declared = clusterNames(spec)
  const links = validLinks(spec)
  for (const [name, s] of Object.entries(spec.spec.services)) {
    if (!s.allow) {
      if (s.defaultPolicy) out.push({severity: 'warning', rule: 'authorization/policy-without-allow', message: `service ${name} sets defaultPolicy but no allow list: mcfed writes no policy for it`, locations: [ctx.at(['spec', 'services', name, 'defaultPolicy'])], hint: 'add allow: [...] with the callers to admit, or remove defaultPolicy'})
      continue
    }
    const at = (...path: (string | number)[]) => ctx.at(['spec', 'services', name, ...path])
    if (!s.ports) {
      out.push({severity: 'error', rule: 'authorization/ports-required', message: `service ${name} has an allow list but no ports: Linkerd authorizes per port (one Server each)`, locations: [at('allow')], hint: `add ports: [8080] (the ports ${name}'s pods serve on) to service ${name}`})
    }
    s.allow.forEach((caller, i) => {
      const who = `${caller.namespace}/${caller.serviceAccount}`
      caller.clusters?.forEach((c, j) => {
        if (!spec.spec.clusters[c]) out.push({severity: 'error', rule: 'authorization/unknown-cluster', message: `caller ${who} of ${name} calls from \`${c}\`, which is not a declared cluster`, locations: [at('allow', i, 'clusters', j)], hint: `declared clusters: ${declared.join(', ')}`})
      })
      caller.ports?.forEach((p, j) => {
        if (s.ports && !s.ports.includes(p)) out.push({severity: 'error', rule: 'authorization/unknown-port', message: `caller ${who} of ${name} is allowed on port ${p}, which ${name} does not serve`, locations: [at('allow', i, 'ports', j)], hint: `${name}'s ports: ${(s.ports ?? []).join(', ')}`})
      })
      const from = callerClusters(spec, caller).filter((c) => spec.spec.clusters[c])
      for (const target of s.clusters.filter((c) => spec.spec.clusters[c])) {
        for (const c of from) {
          const path = callerPath(s, links, c, target)
          if (path === 'gateway' && !caller.viaGateway) {
            out.push({
              severity: 'error',
              rule: 'authorization/gateway-caller',
              message: `caller ${who} in ${c} reaches ${name} in ${target} only through ${target}'s gateway, so the identity that arrives is the gateway's (${gatewayIdentity(trustDomainOf(spec, target))}), not ${caller.serviceAccount}'s: this rule could never admit it`,
              locations: [caller.clusters ? at('allow', i, 'clusters', caller.clusters.indexOf(c)) : at('allow', i), at('mode')],
              hint: `use mode: flat or federated for ${name} (pod to pod keeps the caller's identity), or set viaGateway: true on this caller to admit ${target}'s gateway, and with it every workload that can reach that gateway`,
            })
          }
          if (path === 'none' && caller.clusters?.includes(c)) {
            out.push({severity: 'warning', rule: 'authorization/unreachable-caller', message: `caller ${who} in ${c} cannot reach ${name} in ${target}: no ${s.mode === 'gateway' ? 'gateway' : 'flat'} link from ${c} to ${target}`, locations: [at('allow', i, 'clusters', caller.clusters.indexOf(c))], hint: `add a link from ${c} to ${target}, or drop ${c} from this caller`})
          }
        }
      }
      out.push(...sharedIdentities(ctx, name, i))
    })
  }
  return out
}

/**
 * A caller allowed from some clusters is, in every other cluster of the same trust domain that can
 * reach the service pod to pod, the same identity: the rule admits those workloads too.
 */
function sharedIdentities(ctx: RuleContext, name: string, index: number): Diagnostic[] {
  const {spec} = ctx
  const s = spec.spec.services[name]!
  const caller = s.allow![index]!
  if (!caller.clusters) return []
  const links = validLinks(spec)
  const named = caller.clusters.filter((c) => spec.spec.clusters[c])
  const reaches = (c: string) => s.clusters.some((t) => ['local', 'pod-to-pod'].includes(callerPath(s, links, c, t)))
  const alike = clusterNames(spec).filter((c) => !named.includes(c) && reaches(c) && named.some((n) => trustDomainOf(spec, n) === trustDomainOf(spec, c) && reaches(n)))
  if (alike.length === 0) return []
  const domain = trustDomainOf(spec, alike[0]!)
  const namedAlike = named.filter((n) => trustDomainOf(spec, n) === domain)
  return [
    {
      severity: 'warning',
      rule: 'authorization/shared-trust-domain',
      message: `caller ${caller.namespace}/${caller.serviceAccount} of ${name} is allowed from ${namedAlike.join(', ')} only, but ${alike.join(', ')} ${alike.length === 1 ? 'shares' : 'share'} the trust domain ${domain}: ${caller.serviceAccount}.${caller.namespace} there is the same identity, and is admitted too`,
      locations: [ctx.at(['spec', 'services', name, 'allow', index, 'clusters'])],
      hint: `give ${namedAlike.join(' and ')} ${namedAlike.length === 1 ? 'its' : 'their'} own trust domain (spec.clusters.${namedAlike[0]}.trustDomain), or list ${alike.join(', ')} in this caller's clusters if they are meant to be admitted`,
    },
  ]
}
