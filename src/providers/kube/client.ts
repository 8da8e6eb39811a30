import {CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject, type V1ConfigMap, type V1Secret, type V1Service} from '@kubernetes/client-node'

/**
 * The only file that imports @kubernetes/client-node. One KubeConfig per cluster; writes are
 * server-side apply under field manager `mcfed`, so mcfed owns exactly the fields it sets.
 */
export const FIELD_MANAGER = 'mcfed'

export type ClusterAccess =
  | {readonly kind: 'endpoint'; readonly server: string; readonly caPem: string; readonly token: string}
  | {readonly kind: 'context'; readonly context: string}

export interface KubeClient {
  listServices(namespace: string): Promise<V1Service[]>
  listConfigMaps(namespace: string, labelSelector: string): Promise<V1ConfigMap[]>
  listSecrets(namespace: string, labelSelector: string): Promise<V1Secret[]>
  getService(namespace: string, name: string): Promise<V1Service | undefined>
  apply(object: KubernetesObject, force: boolean): Promise<void>
  delete(object: KubernetesObject): Promise<void>
}

export function kubeClient(cluster: string, access: ClusterAccess): KubeClient {
  const kc = new KubeConfig()
  if (access.kind === 'context') {
    kc.loadFromDefault()
    kc.setCurrentContext(access.context)
  } else {
    kc.loadFromOptions({
      clusters: [{name: cluster, server: access.server, caData: Buffer.from(access.caPem).toString('base64'), skipTLSVerify: false}],
      users: [{name: cluster, token: access.token}],
      contexts: [{name: cluster, cluster, user: cluster}],
      currentContext: cluster,
    })
  }
  const core = kc.makeApiClient(CoreV1Api)
  const objects = KubernetesObjectApi.makeApiClient(kc)
  return {
    listServices: async (namespace) => (await core.listNamespacedService({namespace})).items,
    listConfigMaps: async (namespace, labelSelector) => (await core.listNamespacedConfigMap({namespace, labelSelector})).items,
    listSecrets: async (namespace, labelSelector) => (await core.listNamespacedSecret({namespace, labelSelector})).items,
    getService: async (namespace, name) => {
      try {
        return await core.readNamespacedService({namespace, name})
      } catch (e) {
        if (statusOf(e) === 404) return undefined
        throw e
      }
    },
    apply: async (object, force) => {
      await objects.patch(object, undefined, undefined, FIELD_MANAGER, force, PatchStrategy.ServerSideApply)
    },
    delete: async (object) => {
      try {
        await objects.delete(object)
      } catch (e) {
        if (statusOf(e) !== 404) throw e
      }
    },
  }
}

/** HTTP status of a client error (ApiException carries `code`). */
export function statusOf(e: unknown): number | undefined {
  const code = (e as {code?: unknown})?.code
  return typeof code === 'number' ? code : undefined
}

/** The API server's own words, from an ApiException body. */
export function reasonOf(e: unknown): string {
  const body = (e as {body?: unknown})?.body
  try {
    const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as {message?: string; reason?: string} | undefined
    if (parsed?.message) return `${parsed.message}${parsed.reason ? ` (${parsed.reason})` : ''}`
  } catch {
    // not JSON
  }
  return e instanceof Error ? e.message : String(e)
}
