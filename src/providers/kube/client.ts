import {CoreV1Api, KubeConfig, KubernetesObjectApi, Observable, PatchStrategy, type KubernetesObject, type RequestContext, type ResponseContext, type V1ConfigMap, type V1Secret, type V1Service} from '@kubernetes/client-node'

/**
 * The only file that imports @kubernetes/client-node. One KubeConfig per cluster; writes are
 * server-side apply under field manager `mcfed`, so mcfed owns exactly the fields it sets.
 */
export const FIELD_MANAGER = 'mcfed'

export type ClusterAccess =
  | {readonly kind: 'endpoint'; readonly server: string; readonly caPem: string; readonly token: string}
  | {readonly kind: 'context'; readonly context: string}

export interface KubeClient {
  /** Services in every namespace carrying a label with this key (an existence selector). */
  listLabelledServices(labelKey: string): Promise<V1Service[]>
  listConfigMaps(namespace: string, labelSelector: string): Promise<V1ConfigMap[]>
  listSecrets(namespace: string, labelSelector: string): Promise<V1Secret[]>
  getService(namespace: string, name: string): Promise<V1Service | undefined>
  apply(object: KubernetesObject, force: boolean): Promise<void>
  delete(object: KubernetesObject): Promise<void>
}

/** How long one API call may take; a hung API server must not hang a plan. */
export const KUBE_REQUEST_TIMEOUT_MS = 15_000

/** Per-call options that abort the request after the timeout (the generated client's middleware hook). */
function timeoutOptions(ms: number) {
  return {
    middleware: [
      {
        pre: (ctx: RequestContext) => {
          ctx.setSignal(AbortSignal.timeout(ms))
          return new Observable(Promise.resolve(ctx))
        },
        post: (res: ResponseContext) => new Observable(Promise.resolve(res)),
      },
    ],
    middlewareMergeStrategy: 'append' as const,
  }
}

/** Bounds calls that take no middleware (the generic object API). */
function bounded<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)}s`)), ms)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}

export function kubeClient(cluster: string, access: ClusterAccess, timeoutMs = KUBE_REQUEST_TIMEOUT_MS): KubeClient {
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
    listLabelledServices: async (labelKey) => (await core.listServiceForAllNamespaces({labelSelector: labelKey}, timeoutOptions(timeoutMs))).items,
    listConfigMaps: async (namespace, labelSelector) => (await core.listNamespacedConfigMap({namespace, labelSelector}, timeoutOptions(timeoutMs))).items,
    listSecrets: async (namespace, labelSelector) => (await core.listNamespacedSecret({namespace, labelSelector}, timeoutOptions(timeoutMs))).items,
    getService: async (namespace, name) => {
      try {
        return await core.readNamespacedService({namespace, name}, timeoutOptions(timeoutMs))
      } catch (e) {
        if (statusOf(e) === 404) return undefined
        throw e
      }
    },
    apply: async (object, force) => {
      await bounded(`applying ${object.kind} ${object.metadata?.name}`, timeoutMs, objects.patch(object, undefined, undefined, FIELD_MANAGER, force, PatchStrategy.ServerSideApply))
    },
    delete: async (object) => {
      try {
        await bounded(`deleting ${object.kind} ${object.metadata?.name}`, timeoutMs, objects.delete(object))
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
