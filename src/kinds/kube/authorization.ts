import {address, type ObservedResource} from '../../graph/resource.js'
import type {KubeObject} from '../../linkerd/install/manifests.js'
import {AUTHORIZATION_LABEL, POLICY_KINDS, policyObjects, readPolicies} from '../../linkerd/policy.js'
import {ownerSelectorOf} from '../../providers/kube/labels.js'
import {kubeKind, type KubeKind} from './kube-kind.js'

export const linkerdAuthorization: KubeKind<'linkerd_authorization'> = kubeKind('linkerd_authorization', {
  lists: ['policies'],

  observe({cluster, policies}) {
    const resources: ObservedResource[] = readPolicies(policies).map((a) => {
      const name = `${cluster}/${a.namespace}/${a.service}`
      return {address: address('linkerd_authorization', name), kind: 'linkerd_authorization', name, cluster, owned: true, attributes: {...a, ports: a.ports.map((p) => ({...p, identities: [...p.identities], callers: [...p.callers]}))}}
    })
    return {resources, diagnostics: []}
  },

  async mutate({client, owner}, m, c) {
    const a = (c.after ?? c.before)!
    const selector = `${ownerSelectorOf(owner)},${AUTHORIZATION_LABEL}=${String(a.service)}`
    const listed = await Promise.all(POLICY_KINDS.map((k) => client.listObjects(k.apiVersion, k.kind, selector)))
    const live = (listed.flatMap((l) => l ?? []) as unknown as KubeObject[]).filter((o) => o.metadata.namespace === String(a.namespace))
    const wanted = m === 'delete' ? [] : policyObjects(c.after!, owner)
    // A Server alone denies everyone: on the way in its bindings come first, on the way out it goes first.
    const order = (o: KubeObject) => ['MeshTLSAuthentication', 'AuthorizationPolicy', 'Server'].indexOf(o.kind)
    for (const o of [...wanted].sort((a, b) => order(a) - order(b))) await client.applyRendered(o)
    const stale = live.filter((o) => !wanted.some((w) => w.kind === o.kind && w.metadata.name === o.metadata.name))
    for (const o of stale.sort((a, b) => order(b) - order(a))) await client.deleteRendered(o)
  },
})
