import {LINKERD_NAMESPACE, MULTICLUSTER_NAMESPACE} from '../linkerd/names.js'
import type {CallerSpec, FederationSpec, ServiceSpec} from '../spec/types.js'
import {clusterNames, trustDomainOf, validLinks, type DerivedLink} from './topology.js'

export {trustDomainOf}

/**
 * Linkerd's identity of a ServiceAccount, as its destination controller names a workload's:
 * `<sa>.<ns>.serviceaccount.identity.<control-plane namespace>.<trustDomain>`
 * (controller/api/destination/endpoint_translator.go, edge-25.10.7, line 702).
 */
export function meshIdentity(serviceAccount: string, namespace: string, trustDomain: string): string {
  return `${serviceAccount}.${namespace}.serviceaccount.identity.${LINKERD_NAMESPACE}.${trustDomain}`
}

/** The identity a call through a cluster's gateway arrives with: the gateway's own, in that cluster's trust domain. */
export function gatewayIdentity(trustDomain: string): string {
  return meshIdentity('linkerd-gateway', MULTICLUSTER_NAMESPACE, trustDomain)
}

/**
 * How a caller in `from` reaches a service running in `to`: in the same cluster, pod to pod (a
 * flat link: the caller's own identity arrives), through `to`'s gateway (a gateway link: the
 * gateway's identity arrives, linkerd2#9848), or not at all.
 */
export type CallerPath = 'local' | 'pod-to-pod' | 'gateway' | 'none'

export function callerPath(service: ServiceSpec, links: readonly DerivedLink[], from: string, to: string): CallerPath {
  if (from === to) return 'local'
  const mode = service.mode === 'gateway' ? 'gateway' : 'flat'
  if (!links.some((l) => l.from === from && l.to === to && l.mode === mode)) return 'none'
  return mode === 'gateway' ? 'gateway' : 'pod-to-pod'
}

export const DEFAULT_POD_SELECTOR = (service: string): Record<string, string> => ({app: service})

/** The clusters a caller rule names, or every declared cluster. */
export function callerClusters(spec: FederationSpec, caller: CallerSpec): string[] {
  return caller.clusters ? [...caller.clusters] : clusterNames(spec)
}

/** One port of a service in one cluster: who may call it, as identities and as people read them. */
export interface PortAccess {
  readonly port: number
  /** Identities admitted, sorted: what the MeshTLSAuthentication lists. */
  readonly identities: readonly string[]
  /** `<cluster>/<namespace>/<serviceAccount>` per admitted caller, sorted; a gateway caller reads `… via <cluster>'s gateway`. */
  readonly callers: readonly string[]
}

/**
 * What a service's allow list admits in one cluster where it runs, port by port: each caller in
 * each of its clusters, by the identity that arrives there. Callers that cannot reach the service
 * from a cluster add nothing from it; a gateway caller adds the gateway's identity only with
 * `viaGateway` (validation refuses it otherwise).
 */
export function admitted(spec: FederationSpec, name: string, cluster: string, links: readonly DerivedLink[] = validLinks(spec)): PortAccess[] {
  const service = spec.spec.services[name]!
  return (service.ports ?? []).map((port) => {
    const identities = new Set<string>()
    const callers = new Set<string>()
    for (const caller of service.allow ?? []) {
      if (caller.ports && !caller.ports.includes(port)) continue
      for (const from of callerClusters(spec, caller)) {
        if (!spec.spec.clusters[from]) continue
        const path = callerPath(service, links, from, cluster)
        const who = `${from}/${caller.namespace}/${caller.serviceAccount}`
        if (path === 'local' || path === 'pod-to-pod') {
          identities.add(meshIdentity(caller.serviceAccount, caller.namespace, trustDomainOf(spec, from)))
          callers.add(who)
        } else if (path === 'gateway' && caller.viaGateway) {
          identities.add(gatewayIdentity(trustDomainOf(spec, cluster)))
          callers.add(`${who} via ${cluster}'s gateway`)
        }
      }
    }
    return {port, identities: [...identities].sort(), callers: [...callers].sort()}
  })
}
