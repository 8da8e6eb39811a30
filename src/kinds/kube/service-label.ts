import type {V1Service} from '@kubernetes/client-node'

import type {Diagnostic} from '../../diagnostics/diagnostic.js'
import {ProviderError} from '../../diagnostics/errors.js'
import {address, type ObservedResource} from '../../graph/resource.js'
import {modeLabel} from '../../graph/topology.js'
import {FIELD_MANAGER} from '../../providers/kube/errors.js'
import {MODE_LABEL_KEYS} from '../../providers/kube/labels.js'
import {isCanary} from '../../providers/kube/linkerd/canary.js'
import {serviceKey} from '../../providers/kube/service-key.js'
import {kubeKind, type KubeKind} from './kube-kind.js'
import {serviceLabelPatch} from '../../linkerd/objects/service-label.js'

export const serviceLabel: KubeKind<'service_label'> = kubeKind('service_label', {
  lists: ['services'],

  observe({cluster, services: live}, {spec}) {
    const wanted = Object.entries(spec.spec.services).filter(([, s]) => s.clusters.includes(cluster))
    const resources: ObservedResource[] = []
    const diagnostics: Diagnostic[] = []
    for (const [name, s] of wanted) {
      const svc = live.get(serviceKey(s.namespace, name))
      if (svc) {
        resources.push(labelResource(cluster, s.namespace, name, svc))
        continue
      }
      diagnostics.push({
        severity: 'warning',
        rule: 'services/missing',
        message: `Service ${s.namespace}/${name} does not exist in ${cluster}, so mcfed cannot label it`,
        locations: [],
        addresses: [address('service_label', `${cluster}/${s.namespace}/${name}`)],
        hint: 'mcfed labels services, it does not deploy them: deploy the app to this cluster, or remove the cluster from the service in the spec',
      })
    }
    // Mode labels mcfed set earlier on Services the spec no longer names: removing them is a delete.
    for (const svc of live.values()) {
      const name = svc.metadata?.name ?? ''
      const ns = svc.metadata?.namespace ?? ''
      // mcfed's canaries carry a mode label too, and are a kind of their own.
      if (wanted.some(([n, s]) => n === name && s.namespace === ns) || !ownsModeLabel(svc) || isCanary(svc)) continue
      resources.push(labelResource(cluster, ns, name, svc))
    }
    return {resources, diagnostics}
  },

  async mutate({client, federation}, m, c) {
    const a = (m === 'delete' ? c.before : c.after) ?? {}
    const namespace = String(a.namespace)
    const name = String(a.service)
    if (m === 'delete') {
      // Applying the Service with no labels drops the labels mcfed's field manager owned, and only those.
      if (await client.getService(namespace, name)) await client.apply(serviceLabelPatch(namespace, name) as never, true)
      return
    }
    if (!(await client.getService(namespace, name))) {
      throw new ProviderError(`Service ${namespace}/${name} does not exist in ${c.cluster}`, {
        resource: c.address,
        reason: 'NotFound',
        hint: 'mcfed labels services, it does not deploy them: deploy the app first, then apply again',
      })
    }
    // Forced: the mode label is mcfed's; someone relabelling it by hand is drift to repair.
    const write = () => client.apply(serviceLabelPatch(namespace, name, {key: String(a.label_key), value: String(a.label_value)}) as never, true)
    const federated = modeLabel('federated')
    const joining = a.label_key === federated.key && a.label_value === federated.value && (c.before?.label_key !== a.label_key || c.before?.label_value !== a.label_value)
    // Becoming a member makes Linkerd's controllers join it in every consumer: one such write at a time there.
    await (joining ? federation.serialized(federation.ofMember(c.cluster, namespace, name), write) : write())
  },
})

function labelResource(cluster: string, namespace: string, name: string, svc: V1Service): ObservedResource {
  const labels = svc.metadata?.labels ?? {}
  const key = MODE_LABEL_KEYS.find((k) => labels[k] !== undefined) ?? null
  return {
    address: address('service_label', `${cluster}/${namespace}/${name}`),
    kind: 'service_label',
    name: `${cluster}/${namespace}/${name}`,
    cluster,
    owned: true,
    attributes: {namespace, service: name, label_key: key, label_value: key ? labels[key]! : null},
  }
}

/** True when mcfed's field manager owns a mode label on this Service. */
function ownsModeLabel(svc: V1Service): boolean {
  return (svc.metadata?.managedFields ?? []).some((f) => {
    if (f.manager !== FIELD_MANAGER) return false
    const fields = JSON.stringify(f.fieldsV1 ?? {})
    return MODE_LABEL_KEYS.some((k) => fields.includes(`"l:${k}"`) || fields.includes(`"f:${k}"`))
  })
}
