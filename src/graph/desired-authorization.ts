import type {FederationSpec} from '../spec/types.js'
import {admitted, DEFAULT_POD_SELECTOR} from './authorization.js'
import {NO_INPUTS, NO_UNKNOWNS, address, type DesiredResource} from './resource.js'
import {validLinks} from './topology.js'

/**
 * One `linkerd_authorization` per service with an allow list and each cluster it runs in: its
 * Servers, the callers' identities as they arrive in that cluster, and the policies binding them.
 */
export function desiredAuthorization(spec: FederationSpec): DesiredResource[] {
  const links = validLinks(spec)
  const out: DesiredResource[] = []
  for (const [name, s] of Object.entries(spec.spec.services)) {
    if (!s.allow || !s.ports) continue
    for (const cluster of s.clusters.filter((c) => spec.spec.clusters[c])) {
      const gke = address('gke_cluster', cluster)
      // The policy CRDs come with Linkerd's: where mcfed installs them, after them.
      const crds = spec.spec.linkerd.install === 'mcfed' ? [address('linkerd_crds', cluster)] : []
      out.push({
        address: address('linkerd_authorization', `${cluster}/${s.namespace}/${name}`),
        kind: 'linkerd_authorization',
        name: `${cluster}/${s.namespace}/${name}`,
        cluster,
        attributes: {
          namespace: s.namespace,
          service: name,
          pod_selector: {...(s.podSelector ?? DEFAULT_POD_SELECTOR(name))},
          access_policy: s.defaultPolicy ?? 'deny',
          ports: admitted(spec, name, cluster, links).map((p) => ({port: p.port, identities: [...p.identities], callers: [...p.callers]})),
        },
        unknown: NO_UNKNOWNS,
        inputs: NO_INPUTS,
        dependsOn: [gke, ...crds],
        replacedWith: [gke],
      })
    }
  }
  return out
}
