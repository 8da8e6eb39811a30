import {validLinks} from '../graph/topology.js'
import type {FederationSpec} from '../spec/types.js'

/**
 * One place where Linkerd's controllers add a member to a federated service: `<svc>-federated` in
 * `consumer` gains `svc@link` (a flat link's controller), or names `svc` as its local member (the
 * local service mirror, `link` undefined).
 */
export interface FederationJoin {
  readonly consumer: string
  readonly link?: string
  /** The cluster the member runs in. */
  readonly member: string
  readonly namespace: string
  readonly service: string
}

/**
 * What labelling `service` as a federated member in `cluster` sets off: the cluster's own local
 * mirror, and the controller of every flat link into the cluster (federated services travel on
 * flat links only).
 */
export function joinsOfMember(spec: FederationSpec, cluster: string, namespace: string, service: string): FederationJoin[] {
  const remote = validLinks(spec)
    .filter((l) => l.to === cluster && l.mode === 'flat')
    .map((l) => ({consumer: l.from, link: l.name, member: cluster, namespace, service}))
  return [{consumer: cluster, member: cluster, namespace, service}, ...remote]
}

/** What a new flat link sets off: its controller joins every federated service its target is a member of. */
export function joinsOfLink(spec: FederationSpec, consumer: string, link: string, target: string): FederationJoin[] {
  return Object.entries(spec.spec.services)
    .filter(([, s]) => s.mode === 'federated' && s.clusters.includes(target))
    .map(([service, s]) => ({consumer, link, member: target, namespace: s.namespace, service}))
}

