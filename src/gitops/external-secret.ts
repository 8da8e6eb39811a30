import type {KubeObject} from '../linkerd/install/manifests.js'
import {compareCodePoints} from '../util/compare.js'

/** External Secrets' API as its v0.16 CRDs serve it (`github.com/external-secrets/external-secrets`). */
export const EXTERNAL_SECRET_API_VERSION = 'external-secrets.io/v1beta1'

export interface ExternalSecretTarget {
  /** The Secret the ExternalSecret makes (and names itself after). */
  readonly name: string
  readonly namespace: string
  readonly type: string
  readonly labels: Readonly<Record<string, string>>
  readonly annotations?: Readonly<Record<string, string>>
  /** The ClusterSecretStore to read from. */
  readonly store: string
  /** How often to read the store again; default never (`0`): a pinned version does not change. */
  readonly refreshInterval?: string
  /** Secret key → the store's secret id and version (alias or number). */
  readonly data: Readonly<Record<string, {readonly key: string; readonly version: string; readonly property?: string}>>
}

/**
 * An ExternalSecret that makes one Secret, with the type, labels and annotations Linkerd and mcfed
 * read on it, from a secret store: the key material never enters the tree. Read once
 * (`refreshInterval: 0`): a pinned version does not change, and a Secret Linkerd's controllers
 * read only at start must not change under them anyway; a new version comes as a new name.
 */
export function externalSecret(t: ExternalSecretTarget): KubeObject {
  return {
    apiVersion: EXTERNAL_SECRET_API_VERSION,
    kind: 'ExternalSecret',
    metadata: {name: t.name, namespace: t.namespace, labels: {...t.labels}},
    spec: {
      refreshInterval: t.refreshInterval ?? '0',
      secretStoreRef: {kind: 'ClusterSecretStore', name: t.store},
      target: {
        name: t.name,
        creationPolicy: 'Owner',
        template: {type: t.type, metadata: {labels: {...t.labels}, ...(t.annotations ? {annotations: {...t.annotations}} : {})}},
      },
      data: Object.entries(t.data)
        .sort(([a], [b]) => compareCodePoints(a, b))
        .map(([secretKey, ref]) => ({secretKey, remoteRef: {key: ref.key, version: ref.version, ...(ref.property ? {property: ref.property} : {})}})),
    },
  }
}
