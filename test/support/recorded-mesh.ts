import {readFileSync} from 'node:fs'

import {parse} from 'yaml'

import type {KubeClient, LinkObject} from '../../src/providers/kube/client.js'
import {fixture} from './linkerd-fixtures.js'

const OBSERVED = 'observed-after-mirroring'

/** The objects Linkerd's own 2.19 controllers left in one cluster, as the API returned them. */
export function recordedObjects(cluster: 'west' | 'east' | 'north'): {services: any[]; endpoints: any[]; leases: any[]; links: LinkObject[]} {
  const items = (kind: string) => (parse(readFileSync(fixture('edge-25.10.7', `${OBSERVED}/${cluster}-${kind}.yaml`), 'utf8')) as {items?: any[]}).items ?? []
  return {services: items('services'), endpoints: items('endpoints'), leases: items('leases'), links: items('links')}
}

/** The gateway Service of a multicluster render, as the API serves it once its load balancer has an address. */
export function renderedGateway(cluster: 'west' | 'east' | 'north', address?: string): any | undefined {
  const docs = readFileSync(fixture('edge-25.10.7', `multicluster-${cluster}.yaml`), 'utf8').split(/^---$/m).map((d) => parse(d))
  const svc = docs.find((d) => d?.kind === 'Service' && d.metadata?.name === 'linkerd-gateway')
  return svc && address ? {...svc, status: {loadBalancer: {ingress: [{ip: address}]}}} : svc
}

/** Controller Deployments of a render, as a Deployment list would return them. */
export function renderedControllers(file: string): any[] {
  const docs = readFileSync(fixture('edge-25.10.7', file), 'utf8').split(/^---$/m).map((d) => parse(d))
  return docs.filter((d) => d?.kind === 'Deployment' && ['controller', 'service-mirror'].includes(d.metadata?.labels?.component)).map((d) => ({...d, metadata: {...d.metadata, namespace: d.metadata.namespace ?? 'linkerd-multicluster'}}))
}

/** A read-only client over recorded objects: what `verify` reads, without an API server. */
export function recordedClient(o: {services: any[]; endpoints: any[]; leases: any[]; links: LinkObject[]; deployments: any[]; extension: any[]; slices?: any[]}): KubeClient {
  const matches = (obj: any, selector?: string) =>
    !selector ||
    selector.split(/,(?![^(]*\))/).every((term) => {
      const set = /^(\S+) in \((.*)\)$/.exec(term)
      if (set) return set[2]!.split(',').includes(obj.metadata?.labels?.[set[1]!])
      const [k, v] = term.split('=')
      const labels = obj.metadata?.labels ?? {}
      return v === undefined ? k! in labels : labels[k!] === v
    })
  const inNs = (obj: any, ns?: string) => !ns || obj.metadata?.namespace === ns
  return {
    listServices: async (ns?: string, sel?: string) => o.services.filter((s) => inNs(s, ns) && matches(s, sel)).concat(ns === 'linkerd-multicluster' ? o.extension : []),
    listLabelledServices: async (key: string) => o.services.filter((s) => key in (s.metadata?.labels ?? {})),
    listEndpoints: async (ns?: string, sel?: string) => o.endpoints.filter((e) => inNs(e, ns) && matches(e, sel)),
    listLeases: async () => o.leases,
    listLinks: async () => o.links,
    listDeployments: async (selector: string) => (selector.includes('control-plane-component=destination') ? [] : o.deployments),
    listSecrets: async () => [],
    // Recorded before verify read trust: no trust roots, so the trust check has nothing to judge.
    listConfigMaps: async () => [],
    readObject: async () => undefined,
    listObjects: async (_apiVersion: string, kind: string, sel: string) => (kind === 'EndpointSlice' ? (o.slices ?? []).filter((e) => matches(e, sel)) : []),
  } as unknown as KubeClient
}

/** A recorded object as a client would create it: what the server assigned is left out. */
export function creatable(o: any): any {
  const {uid, resourceVersion, creationTimestamp, managedFields, ...metadata} = o.metadata
  void uid, resourceVersion, creationTimestamp, managedFields
  const out = {...o, metadata}
  if (o.kind === 'Service') {
    const {clusterIP, clusterIPs, ...rest} = o.spec
    void clusterIP, clusterIPs
    out.spec = rest
    delete out.status
  }
  return out
}

/** A controller's Lease as a running controller holds it, last renewed `renewedAgoMs` ago. */
export function heldLease(name: string, renewedAgoMs: number, durationSeconds: number, holder = `${name}-pod`): any {
  const renew = new Date(Date.now() - renewedAgoMs).toISOString().replace(/\.\d+Z$/, '.000000Z')
  return {apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: {name, namespace: 'linkerd-multicluster'}, spec: {holderIdentity: holder, leaseDurationSeconds: durationSeconds, renewTime: renew, acquireTime: renew}}
}
