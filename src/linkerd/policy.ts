import type {Attributes, Json} from '../model/json.js'
import type {KubeObject} from './install/manifests.js'

/** Linkerd's policy kinds mcfed writes, at the versions Linkerd 2.19's CRDs store. */
export const POLICY_KINDS = [
  {apiVersion: 'policy.linkerd.io/v1beta3', kind: 'Server'},
  {apiVersion: 'policy.linkerd.io/v1alpha1', kind: 'MeshTLSAuthentication'},
  {apiVersion: 'policy.linkerd.io/v1alpha1', kind: 'AuthorizationPolicy'},
] as const

/** Marks a policy object with the service it authorizes; with the ownership labels, how reads find them. */
export const AUTHORIZATION_LABEL = 'mcfed.io/authorization'
/** On a MeshTLSAuthentication: the callers its identities stand for, as the spec names them. */
export const CALLERS_ANNOTATION = 'mcfed.io/callers'

export interface PortAccessAttributes {
  readonly port: number
  readonly identities: readonly string[]
  readonly callers: readonly string[]
}

/** The ports of a `linkerd_authorization` resource's attributes. */
export function portsOf(a: Attributes | null | undefined): PortAccessAttributes[] {
  return ((a?.ports ?? []) as Json[]).map((p) => {
    const o = p as {port: number; identities: string[]; callers: string[]}
    return {port: o.port, identities: o.identities ?? [], callers: o.callers ?? []}
  })
}

/**
 * The objects that admit exactly a service's callers in one cluster: per port a Server selecting
 * its pods (whose access policy refuses everyone else), and where the port has callers a
 * MeshTLSAuthentication of their identities and an AuthorizationPolicy binding it to the Server.
 */
export function policyObjects(a: Attributes, labels: Readonly<Record<string, string>>): KubeObject[] {
  const namespace = String(a.namespace)
  const service = String(a.service)
  const meta = (name: string, annotations?: Record<string, string>) => ({name, namespace, labels: {...labels, [AUTHORIZATION_LABEL]: service}, ...(annotations ? {annotations} : {})})
  const [server, authn, policy] = POLICY_KINDS
  return portsOf(a).flatMap((p) => {
    const name = `${service}-${p.port}`
    const objects: KubeObject[] = [{...server, metadata: meta(name), spec: {podSelector: {matchLabels: a.pod_selector as Record<string, string>}, port: p.port, accessPolicy: String(a.access_policy)}}]
    if (p.identities.length === 0) return objects
    objects.push(
      {...authn, metadata: meta(name, {[CALLERS_ANNOTATION]: p.callers.join(',')}), spec: {identities: [...p.identities]}},
      {
        ...policy,
        metadata: meta(name),
        spec: {
          targetRef: {group: 'policy.linkerd.io', kind: 'Server', name},
          requiredAuthenticationRefs: [{group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name}],
        },
      },
    )
    return objects
  })
}

/** A service's policy in one cluster, as its objects say. */
export interface LivePolicy {
  readonly namespace: string
  readonly service: string
  readonly pod_selector: Record<string, string>
  readonly access_policy: string | null
  readonly ports: readonly PortAccessAttributes[]
}

type PolicySpec = {podSelector?: {matchLabels?: Record<string, string>}; port?: number; accessPolicy?: string; identities?: string[]; targetRef?: {name?: string}; requiredAuthenticationRefs?: {name?: string}[]}
const specOf = (o: KubeObject) => (o.spec ?? {}) as PolicySpec

/**
 * mcfed's policy objects read back as the attributes they were written from, per service. A port
 * admits the identities of its MeshTLSAuthentication only while an AuthorizationPolicy binds that
 * to its Server: without the binding it admits nobody, and the read says so.
 */
export function readPolicies(objects: readonly KubeObject[]): LivePolicy[] {
  const byService = new Map<string, KubeObject[]>()
  for (const o of objects) {
    const key = `${o.metadata.namespace}/${o.metadata.labels?.[AUTHORIZATION_LABEL]}`
    byService.set(key, [...(byService.get(key) ?? []), o])
  }
  return [...byService].map(([key, mine]) => {
    const [namespace, service] = key.split('/') as [string, string]
    const of = (kind: string) => mine.filter((o) => o.kind === kind)
    const servers = of('Server').sort((a, b) => (specOf(a).port ?? 0) - (specOf(b).port ?? 0))
    const ports = servers.map((server) => {
      const name = server.metadata.name
      const binding = of('AuthorizationPolicy').find((p) => specOf(p).targetRef?.name === name && specOf(p).requiredAuthenticationRefs?.some((r) => r.name === name))
      const authn = binding ? of('MeshTLSAuthentication').find((m) => m.metadata.name === name) : undefined
      const callers = authn?.metadata.annotations?.[CALLERS_ANNOTATION]
      return {port: specOf(server).port ?? 0, identities: [...(specOf(authn ?? server).identities ?? [])].sort(), callers: callers ? callers.split(',') : []}
    })
    const first = servers[0] ? specOf(servers[0]) : {}
    return {namespace, service, pod_selector: {...(first.podSelector?.matchLabels ?? {})}, access_policy: first.accessPolicy ?? null, ports}
  })
}
