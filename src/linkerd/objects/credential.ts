import type {Json} from '../../graph/resource.js'
import type {KubeObject} from '../install/manifests.js'
import {CREDENTIAL_VALIDITY_ANNOTATION, MCFED_LABEL, MULTICLUSTER_NAMESPACE, controllerServiceAccount, credentialReaderName} from '../names.js'

type Attributes = {readonly [k: string]: Json}

/** The labels on every object of one credential generation, in the consumer and on the target. */
export function credentialLabels(a: Attributes, consumer: string, owner: Readonly<Record<string, string>>): Record<string, string> {
  return {...owner, [MCFED_LABEL.linkConsumer]: consumer, [MCFED_LABEL.link]: String(a.link), [MCFED_LABEL.credentialGeneration]: String(a.generation), [MCFED_LABEL.linkTarget]: String(a.target_cluster)}
}

/** The generation's Secret in the consumer, without its kubeconfig: the writer or a secret store adds it. */
export function credentialSecretMetadata(a: Attributes, consumer: string, owner: Readonly<Record<string, string>>): {name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string>} {
  return {name: String(a.secret), namespace: MULTICLUSTER_NAMESPACE, labels: credentialLabels(a, consumer, owner), annotations: {[CREDENTIAL_VALIDITY_ANNOTATION]: String(a.validity)}}
}

/**
 * The grant that lets the link's service mirror read the generation's Secret: Linkerd's chart lets
 * it get only `cluster-credentials-<link>`. Role first, then its binding.
 */
export function credentialReaderObjects(a: Attributes, consumer: string, owner: Readonly<Record<string, string>>): [role: KubeObject, binding: KubeObject] {
  const link = String(a.link)
  const metadata = {name: credentialReaderName(link, Number(a.generation)), namespace: MULTICLUSTER_NAMESPACE, labels: credentialLabels(a, consumer, owner)}
  return [
    {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata, rules: [{apiGroups: [''], resources: ['secrets'], resourceNames: [String(a.secret)], verbs: ['get']}]},
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata,
      roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: metadata.name},
      subjects: [{kind: 'ServiceAccount', name: controllerServiceAccount(link), namespace: MULTICLUSTER_NAMESPACE}],
    },
  ]
}
