import type {
  KubernetesObject,
  RequestContext,
  ResponseContext,
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1ConfigMap,
  V1Deployment,
  V1Endpoints,
  V1Lease,
  V1RoleBinding,
  V1Secret,
  V1Service,
  V1ServiceAccount,
} from '@kubernetes/client-node'

import {readFileSync} from 'node:fs'

import {LINK_API_GROUP, LINK_API_VERSION} from '../../linkerd/names.js'
import {FIELD_MANAGER, reasonOf, statusOf} from './errors.js'
import {loadKubeSdk} from './kube-sdk.js'
import {RawKube} from './raw.js'

// Loaded once, when the first module needing a Kubernetes client is imported (providers load lazily).
const {AuthorizationV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, Observable, PatchStrategy} = await loadKubeSdk()

/**
 * The only file that imports @kubernetes/client-node. One KubeConfig per cluster; writes are
 * server-side apply under field manager `mcfed`, so mcfed owns exactly the fields it sets.
 */
export {FIELD_MANAGER, reasonOf, statusOf}

export type ClusterAccess =
  | {readonly kind: 'endpoint'; readonly server: string; readonly caPem: string; readonly token: string}
  | {readonly kind: 'context'; readonly context: string}

/** A Link as the API returns it: mcfed reads only metadata and spec. */
export interface LinkObject extends KubernetesObject {
  readonly spec?: Record<string, unknown>
  readonly status?: Record<string, unknown>
}

/** A token from the TokenRequest API, with the expiry the API server granted (it may cut it). */
export interface IssuedToken {
  readonly token: string
  readonly expires: string
}

export interface KubeClient {
  /** Services in every namespace carrying a label with this key (an existence selector). */
  listLabelledServices(labelKey: string): Promise<V1Service[]>
  /** Services matching a selector, in one namespace or (without one) in all. */
  listServices(namespace: string | undefined, labelSelector: string): Promise<V1Service[]>
  listConfigMaps(namespace: string | undefined, labelSelector?: string): Promise<V1ConfigMap[]>
  /** Secrets matching a selector (and a field selector, when given), in one namespace or (without one) in all. */
  listSecrets(namespace: string | undefined, labelSelector: string, fieldSelector?: string): Promise<V1Secret[]>
  listServiceAccounts(namespace: string | undefined, labelSelector: string): Promise<V1ServiceAccount[]>
  listClusterRoles(labelSelector: string): Promise<V1ClusterRole[]>
  listClusterRoleBindings(labelSelector: string): Promise<V1ClusterRoleBinding[]>
  listRoleBindings(namespace: string | undefined, labelSelector: string): Promise<V1RoleBinding[]>
  /** Endpoints matching a selector, in one namespace or (without one) in all. */
  listEndpoints(namespace: string | undefined, labelSelector?: string): Promise<V1Endpoints[]>
  listLeases(namespace: string): Promise<V1Lease[]>
  /** Deployments in every namespace matching a selector. */
  listDeployments(labelSelector: string): Promise<V1Deployment[]>
  /** Links in a namespace; undefined when the Link CRD is not installed (the API answers 404). */
  listLinks(namespace: string): Promise<LinkObject[] | undefined>
  getService(namespace: string, name: string): Promise<V1Service | undefined>
  /** A TokenRequest token; bound to `boundTo` (a Secret of the same namespace), it dies with that object. */
  createToken(namespace: string, serviceAccount: string, expirationSeconds: number, boundTo?: {readonly kind: 'Secret'; readonly name: string; readonly uid: string}): Promise<IssuedToken>
  /** The API server URL and CA a kubeconfig for this cluster must carry. */
  endpoint(): {server: string; caPem: string}
  apply(object: KubernetesObject, force: boolean): Promise<void>
  /**
   * Server-side apply under another field manager, forced: for the few fields mcfed sets on objects
   * whose other fields someone else applies (or mcfed applies whole under its own manager), so that
   * neither apply drops the other's fields.
   */
  applyAs(object: KubernetesObject, fieldManager: string): Promise<void>
  /** Creates an object unless one of that name exists; never changes an existing one. */
  createIfMissing(object: KubernetesObject): Promise<void>
  /**
   * Objects of one kind in all namespaces matching a selector; undefined when the API does not
   * serve that kind (its CRD is not installed yet).
   */
  listObjects(apiVersion: string, kind: string, labelSelector: string): Promise<KubernetesObject[] | undefined>
  /** As listObjects, each object's metadata alone (apiVersion and kind stamped on). */
  listMetadata(apiVersion: string, kind: string, labelSelector: string): Promise<KubernetesObject[] | undefined>
  /** Server-side applies an object exactly as given (a render), forcing mcfed's ownership of its fields. */
  applyRendered(object: KubernetesObject): Promise<void>
  /** Deletes an object of any kind; gone, or of a kind no longer served, counts as deleted. */
  deleteRendered(object: KubernetesObject): Promise<void>
  /** What the server would store if `object` were applied (server-side dry run); nothing changes. */
  dryRunApply(object: KubernetesObject): Promise<KubernetesObject>
  /** One object by kind and name; undefined when absent. */
  readObject(apiVersion: string, kind: string, name: string, namespace?: string): Promise<KubernetesObject | undefined>
  /** A JSON merge patch: a null removes a field whoever set it, which server-side apply cannot. */
  mergePatch(object: KubernetesObject): Promise<void>
  delete(object: KubernetesObject): Promise<void>
  /** Whether this client's credentials may do `verb` on `resource` in every namespace (a SelfSubjectAccessReview; 401 when they are refused). */
  mayI(verb: string, resource: string, group?: string): Promise<boolean>
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

let parsedDefault: InstanceType<typeof KubeConfig> | undefined

/**
 * The default kubeconfig, parsed once per process: a fleet's kubeconfig names every cluster, and
 * parsing it once per cluster made the cost grow with the square of the fleet.
 */
function defaultKubeConfig(): InstanceType<typeof KubeConfig> {
  if (!parsedDefault) {
    parsedDefault = new KubeConfig()
    parsedDefault.loadFromDefault()
  }
  return parsedDefault
}

export function kubeClient(cluster: string, access: ClusterAccess, timeoutMs = KUBE_REQUEST_TIMEOUT_MS): KubeClient {
  const kc = new KubeConfig()
  if (access.kind === 'context') {
    const all = defaultKubeConfig()
    kc.loadFromOptions({clusters: all.clusters, users: all.users, contexts: all.contexts, currentContext: access.context})
  } else {
    kc.loadFromOptions({
      clusters: [{name: cluster, server: access.server, caData: Buffer.from(access.caPem).toString('base64'), skipTLSVerify: false}],
      users: [{name: cluster, token: access.token}],
      contexts: [{name: cluster, cluster, user: cluster}],
      currentContext: cluster,
    })
  }
  const core = kc.makeApiClient(CoreV1Api)
  const authorization = kc.makeApiClient(AuthorizationV1Api)
  const objects = KubernetesObjectApi.makeApiClient(kc)
  const opts = () => timeoutOptions(timeoutMs)
  const raw = new RawKube(kc, timeoutMs)
  const listed = async <T>(apiVersion: string, kind: string, labelSelector: string, namespace?: string, fieldSelector?: string): Promise<T[]> =>
    ((await retrying(() => raw.list(apiVersion, kind, labelSelector, namespace, false, fieldSelector))) ?? []) as T[]
  return {
    // Reads go through the raw client: one kept-alive TLS connection per cluster and JSON as the
    // server sent it. The generated client opens a connection (and builds a TLS context) per call,
    // which was most of a no-op plan's CPU at ten clusters.
    listLabelledServices: (labelKey) => listed<V1Service>('v1', 'Service', labelKey),
    listServices: (namespace, labelSelector) => listed<V1Service>('v1', 'Service', labelSelector, namespace),
    listConfigMaps: (namespace, labelSelector) => listed<V1ConfigMap>('v1', 'ConfigMap', labelSelector ?? '', namespace),
    listSecrets: (namespace, labelSelector, fieldSelector) => listed<V1Secret>('v1', 'Secret', labelSelector, namespace, fieldSelector),
    listServiceAccounts: (namespace, labelSelector) => listed<V1ServiceAccount>('v1', 'ServiceAccount', labelSelector, namespace),
    listClusterRoles: (labelSelector) => listed<V1ClusterRole>('rbac.authorization.k8s.io/v1', 'ClusterRole', labelSelector),
    listRoleBindings: (namespace, labelSelector) => listed<V1RoleBinding>('rbac.authorization.k8s.io/v1', 'RoleBinding', labelSelector, namespace),
    listClusterRoleBindings: (labelSelector) => listed<V1ClusterRoleBinding>('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', labelSelector),
    listEndpoints: (namespace, labelSelector) => listed<V1Endpoints>('v1', 'Endpoints', labelSelector ?? '', namespace),
    listLeases: (namespace) => listed<V1Lease>('coordination.k8s.io/v1', 'Lease', '', namespace),
    listDeployments: (labelSelector) => listed<V1Deployment>('apps/v1', 'Deployment', labelSelector),
    // Undefined when the Link CRD is not installed: the API does not serve the kind.
    listLinks: (namespace) => retrying(() => raw.list(`${LINK_API_GROUP}/${LINK_API_VERSION}`, 'Link', '', namespace)),
    createToken: async (namespace, name, expirationSeconds, boundTo) => {
      const boundObjectRef = boundTo ? {apiVersion: 'v1', kind: boundTo.kind, name: boundTo.name, uid: boundTo.uid} : undefined
      const granted = await core.createNamespacedServiceAccountToken({namespace, name, body: {spec: {audiences: [], expirationSeconds, ...(boundObjectRef ? {boundObjectRef} : {})}}}, opts())
      const token = granted.status?.token
      if (!token) throw new Error(`the API server issued no token for ServiceAccount ${namespace}/${name}`)
      return {token, expires: new Date(granted.status!.expirationTimestamp).toISOString()}
    },
    endpoint: () => {
      const c = kc.getCurrentCluster()
      if (!c) throw new Error(`cluster ${cluster} has no current cluster in its kubeconfig`)
      const caPem = c.caData ? Buffer.from(c.caData, 'base64').toString('utf8') : c.caFile ? readFileSync(c.caFile, 'utf8') : ''
      return {server: c.server, caPem}
    },
    getService: (namespace, name) => retrying(() => raw.get('v1', 'Service', name, namespace)) as Promise<V1Service | undefined>,
    apply: async (object, force) => {
      await retrying(() => bounded(`applying ${object.kind} ${object.metadata?.name}`, timeoutMs, objects.patch(object, undefined, undefined, FIELD_MANAGER, force, PatchStrategy.ServerSideApply)))
    },
    mayI: async (verb, resource, group = '') => {
      const review = await authorization.createSelfSubjectAccessReview({body: {spec: {resourceAttributes: {verb, resource, group}}}}, opts())
      return review.status?.allowed === true
    },
    applyAs: async (object, fieldManager) => {
      await retrying(() => bounded(`applying ${object.kind} ${object.metadata?.name}`, timeoutMs, objects.patch(object, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply)))
    },
    createIfMissing: async (object) => {
      try {
        await retrying(() => bounded(`creating ${object.kind} ${object.metadata?.name}`, timeoutMs, objects.create(object, undefined, undefined, FIELD_MANAGER)))
      } catch (e) {
        if (statusOf(e) !== 409) throw e
      }
    },
    listObjects: (apiVersion, kind, labelSelector) => retrying(() => raw.list(apiVersion, kind, labelSelector)),
    listMetadata: (apiVersion, kind, labelSelector) => retrying(() => raw.list(apiVersion, kind, labelSelector, undefined, true)),
    readObject: (apiVersion, kind, name, namespace) => retrying(() => raw.get(apiVersion, kind, name, namespace)),
    applyRendered: async (object) => {
      await retrying(() => raw.apply(object, FIELD_MANAGER, true))
    },
    deleteRendered: (o) => retrying(() => raw.delete(o.apiVersion!, o.kind!, o.metadata!.name!, o.metadata?.namespace)),
    dryRunApply: (object) => retrying(() => raw.apply(object, FIELD_MANAGER, true, true)),
    mergePatch: async (object) => {
      await retrying(() => bounded(`patching ${object.kind} ${object.metadata?.name}`, timeoutMs, objects.patch(object, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch)))
    },
    delete: async (object) => {
      try {
        await retrying(() => bounded(`deleting ${object.kind} ${object.metadata?.name}`, timeoutMs, objects.delete(object)))
      } catch (e) {
        if (statusOf(e) !== 404) throw e
      }
    },
  }
}

/** Answers that mean "ask again shortly": throttling, a restarting or re-initialising server. */
const TRANSIENT = new Set([429, 500, 502, 503, 504])
const ATTEMPTS = 5

/**
 * Retries what the API server says is transient: after its Retry-After (capped at 10 s), else with
 * exponential backoff and full jitter. A new CRD's storage answers 429 "storage is (re)initializing"
 * for a moment after it is established; a plan must not report that as an unreachable cluster.
 */
export async function retrying<T>(call: () => Promise<T>, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (e) {
      const status = statusOf(e)
      const reset = (e as {code?: unknown})?.code === 'ECONNRESET' || /ECONNRESET|socket hang up/.test(String((e as Error)?.message))
      if (attempt >= ATTEMPTS || !(reset || (status !== undefined && TRANSIENT.has(status)))) throw e
      const after = Number((e as {headers?: Record<string, string>})?.headers?.['retry-after'])
      await sleep(Number.isFinite(after) && after > 0 ? Math.min(after, 10) * 1000 : Math.round(Math.random() * 200 * 2 ** attempt))
    }
  }
}

/** HTTP status of a client error (ApiException carries `code`). */
