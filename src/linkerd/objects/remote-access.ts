import {ProviderError} from '../../diagnostics/errors.js'
import type {Json} from '../../graph/resource.js'
import type {KubeObject} from '../install/manifests.js'
import {MCFED_LABEL, remoteAccessName} from '../names.js'
import {parseRule} from '../rules.js'

type Attributes = {readonly [k: string]: Json}

/**
 * One link's remote access on its target: a ServiceAccount, a ClusterRole with exactly the plan's
 * rules, and the binding between them, all named after the consumer and link. In apply order.
 */
export function remoteAccessObjects(a: Attributes, owner: Readonly<Record<string, string>>): [account: KubeObject, role: KubeObject, binding: KubeObject] {
  const name = remoteAccessName(String(a.consumer), String(a.link))
  const namespace = String(a.namespace)
  const labels = {...owner, [MCFED_LABEL.linkConsumer]: String(a.consumer), [MCFED_LABEL.link]: String(a.link)}
  const rules = (Array.isArray(a.rules) ? a.rules : []).map((line) => {
    const rule = parseRule(String(line))
    if (!rule) throw new ProviderError(`remote access ${name}: the plan holds a rule mcfed cannot read: ${String(line)}`)
    return rule as unknown as Json
  })
  return [
    {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name, namespace, labels}},
    {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: {name, labels}, rules},
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: {name, labels},
      roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name},
      subjects: [{kind: 'ServiceAccount', name, namespace}],
    },
  ]
}
