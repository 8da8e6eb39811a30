import {Agent, request, type RequestOptions} from 'node:https'
import {request as plainRequest} from 'node:http'
import {createSecureContext} from 'node:tls'

import type {KubeConfig, KubernetesObject} from '@kubernetes/client-node'

import {Http2Connection, Http2Refused, type RawResponse} from './h2-connection.js'

/** An API error shaped like the client's ApiException, so `statusOf`, `reasonOf` and retries apply. */
export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly body: string,
    readonly headers: Record<string, string>,
  ) {
    super(`HTTP ${code}: ${body.slice(0, 300)}`)
  }
}

interface ApiResource {
  readonly name: string
  readonly namespaced: boolean
}

/** Aggregated discovery (GA in Kubernetes 1.30): every group version's resources in one answer per root. */
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json'

interface GroupDiscovery {
  readonly metadata?: {readonly name?: string}
  readonly versions?: readonly {readonly version: string; readonly resources?: readonly {readonly resource: string; readonly responseKind?: {readonly kind?: string}; readonly scope?: string}[]}[]
}

/**
 * Kinds every API server serves under the same resource: the ones a plan lists on every cluster
 * need no discovery (a cluster with `install: external` would otherwise pay two GETs for it).
 */
const BUILT_IN: ReadonlyMap<string, ApiResource> = new Map(
  (
    [
      ['v1', 'Service', 'services', true],
      ['v1', 'ConfigMap', 'configmaps', true],
      ['v1', 'Secret', 'secrets', true],
      ['v1', 'ServiceAccount', 'serviceaccounts', true],
      ['v1', 'Endpoints', 'endpoints', true],
      ['v1', 'Namespace', 'namespaces', false],
      ['apps/v1', 'Deployment', 'deployments', true],
      ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', false],
      ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings', false],
      ['rbac.authorization.k8s.io/v1', 'Role', 'roles', true],
      ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings', true],
      ['coordination.k8s.io/v1', 'Lease', 'leases', true],
    ] as const
  ).map(([apiVersion, kind, name, namespaced]) => [`${apiVersion} ${kind}`, {name, namespaced}]),
)

/** Objects' metadata alone, where the server can (every supported one can); the full list otherwise. */
const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json'

/** How long a write waits for its kind to be served (a CRD applied just before). */
const WRITE_PATIENCE_MS = 15_000

/** apiVersion → kind → resource, for every group version an API server serves. */
type Served = Map<string, Map<string, ApiResource>>

/**
 * Objects as the API's JSON, byte for byte. The generated client maps objects through its typed
 * models, which drops fields it spells differently (a CRD schema's `x-kubernetes-int-or-string`
 * becomes `xKubernetesIntOrString` and is lost on the way out). A render must reach the API server
 * exactly as the CLI printed it, and be compared with what the server stored, so these calls skip
 * the models.
 */
export class RawKube {
  /**
   * What the API server serves, asked once per run with aggregated discovery (`/api` and `/apis`,
   * two GETs however many groups), else per group version as a server without it answers.
   */
  private served?: Promise<Served | undefined>
  private readonly discovery = new Map<string, Promise<Map<string, ApiResource> | undefined>>()
  /** One HTTP/2 connection per cluster, every call of the run multiplexed on it. */
  private h2?: Http2Connection
  /** Set when the server would not speak HTTP/2: a kept-alive HTTP/1.1 pool instead. */
  private http1 = false
  private agent?: Agent

  constructor(
    private readonly kc: KubeConfig,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Objects of a kind matching a selector, in one namespace or (without one) in all; undefined when
   * the kind is not served. With `metadataOnly` the server sends each object's metadata alone
   * (PartialObjectMetadataList, as `kubectl get -o name` asks): a CRD's schema is tens of kilobytes
   * a plan that only checks digests and field owners need not parse. A `fieldSelector` narrows the
   * list further (`metadata.name=…`): one object, and an empty list rather than a 404 where it is not.
   */
  async list(apiVersion: string, kind: string, labelSelector: string, namespace?: string, metadataOnly = false, fieldSelector = ''): Promise<KubernetesObject[] | undefined> {
    const resource = await this.resource(apiVersion, kind)
    if (!resource) return undefined
    const scope = namespace !== undefined && resource.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : ''
    try {
      const query = new URLSearchParams({...(labelSelector ? {labelSelector} : {}), ...(fieldSelector ? {fieldSelector} : {})}).toString()
      const path = `${base(apiVersion)}${scope}/${resource.name}${query ? `?${query}` : ''}`
      const list = (await this.call('GET', path, undefined, undefined, metadataOnly ? METADATA_ONLY : undefined)) as {items: KubernetesObject[]}
      return list.items.map((o) => ({...o, apiVersion, kind}))
    } catch (e) {
      if ((e as KubeApiError).code === 404) return undefined
      throw e
    }
  }

  async get(apiVersion: string, kind: string, name: string, namespace?: string): Promise<KubernetesObject | undefined> {
    const resource = await this.resource(apiVersion, kind)
    if (!resource) return undefined
    try {
      return (await this.call('GET', this.path(apiVersion, resource, name, namespace))) as KubernetesObject
    } catch (e) {
      if ((e as KubeApiError).code === 404) return undefined
      throw e
    }
  }

  /** Deletes an object; one that is gone, or whose kind is no longer served (its CRD went first), counts as deleted. */
  async delete(apiVersion: string, kind: string, name: string, namespace?: string): Promise<void> {
    const resource = await this.resource(apiVersion, kind)
    if (!resource) return
    try {
      await this.call('DELETE', this.path(apiVersion, resource, name, namespace))
    } catch (e) {
      if ((e as KubeApiError).code !== 404) throw e
    }
  }

  /** Server-side apply under `fieldManager`; with `dryRun`, what the server would store, changing nothing. */
  async apply(object: KubernetesObject, fieldManager: string, force: boolean, dryRun = false): Promise<KubernetesObject> {
    const resource = await this.resource(object.apiVersion!, object.kind!, WRITE_PATIENCE_MS)
    if (!resource) throw new KubeApiError(404, JSON.stringify({message: `the API serves no ${object.kind} in ${object.apiVersion}`, reason: 'NotFound'}), {})
    const query = `?fieldManager=${encodeURIComponent(fieldManager)}${force ? '&force=true' : ''}${dryRun ? '&dryRun=All' : ''}`
    return (await this.call('PATCH', this.path(object.apiVersion!, resource, object.metadata!.name!, object.metadata?.namespace) + query, JSON.stringify(object), 'application/apply-patch+yaml')) as KubernetesObject
  }

  private path(apiVersion: string, resource: ApiResource, name: string, namespace: string | undefined): string {
    return `${base(apiVersion)}${resource.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}` : ''}/${resource.name}/${encodeURIComponent(name)}`
  }

  /**
   * The resource serving `kind` in `apiVersion`, from discovery; undefined when not served. A kind
   * the remembered answer lacks may have been served since (a CRD applied in this run): discovery
   * is asked again, once for all lookups that missed together. A write (`patienceMs`) keeps asking
   * a while: a CRD reports Established a moment before discovery serves its kinds.
   */
  private async resource(apiVersion: string, kind: string, patienceMs = 0): Promise<ApiResource | undefined> {
    const builtIn = BUILT_IN.get(`${apiVersion} ${kind}`)
    if (builtIn) return builtIn
    const deadline = Date.now() + patienceMs
    for (let round = 0; ; round++) {
      const asked = this.discovered()
      const found = await this.lookup(asked, apiVersion, kind)
      if (found) return found
      if (this.served === asked) this.served = undefined
      if (round > 0 && Date.now() >= deadline) return undefined
      if (round > 0) await new Promise((r) => setTimeout(r, 250))
    }
  }

  private discovered(): Promise<Served | undefined> {
    if (!this.served) {
      const asking = this.aggregated()
      this.served = asking
      // A failed ask is not remembered: the retry asks again.
      asking.catch(() => this.served === asking && (this.served = undefined))
    }
    return this.served
  }

  private async lookup(asked: Promise<Served | undefined>, apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const all = await asked
    return all ? all.get(apiVersion)?.get(kind) : this.groupVersionResource(apiVersion, kind)
  }

  /** Both roots in aggregated form; undefined when the server answers in the older form. */
  private async aggregated(): Promise<Served | undefined> {
    const [core, groups] = await Promise.all([this.call('GET', '/api', undefined, undefined, AGGREGATED), this.call('GET', '/apis', undefined, undefined, AGGREGATED)])
    const lists = [core, groups] as {kind?: string; items?: GroupDiscovery[]}[]
    if (!lists.every((l) => l?.kind === 'APIGroupDiscoveryList')) return undefined
    const served: Served = new Map()
    for (const group of lists.flatMap((l) => l.items ?? [])) {
      for (const v of group.versions ?? []) {
        const apiVersion = group.metadata?.name ? `${group.metadata.name}/${v.version}` : v.version
        served.set(apiVersion, new Map((v.resources ?? []).filter((r) => r.responseKind?.kind).map((r) => [r.responseKind!.kind!, {name: r.resource, namespaced: r.scope === 'Namespaced'}])))
      }
    }
    return served
  }

  /** Discovery of one group version, for servers without aggregated discovery. */
  private async groupVersionResource(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    let served = this.discovery.get(apiVersion)
    if (!served) {
      served = this.call('GET', base(apiVersion)).then(
        (list) => new Map(((list as {resources: {name: string; kind: string; namespaced: boolean}[]}).resources ?? []).filter((r) => !r.name.includes('/')).map((r) => [r.kind, {name: r.name, namespaced: r.namespaced}])),
        (e) => {
          if ((e as KubeApiError).code === 404) return undefined
          throw e
        },
      )
      this.discovery.set(apiVersion, served)
      // A group version that is not served yet may be served after a CRD is applied: ask again next time.
      void served.then((m) => (m?.has(kind) ? undefined : this.discovery.delete(apiVersion)), () => this.discovery.delete(apiVersion))
    }
    return (await served)?.get(kind)
  }

  private async call(method: string, path: string, body?: string, contentType = 'application/json', accept = 'application/json'): Promise<unknown> {
    const server = this.kc.getCurrentCluster()?.server
    if (!server) throw new Error('the kubeconfig names no current cluster')
    const url = new URL(path, server)
    // The whole call, from the moment it is asked: a socket's idle timeout starts only once the
    // pool hands one out, so behind a stopped server the queued calls would each wait their turn.
    const signal = AbortSignal.timeout(this.timeoutMs)
    const opts: RequestOptions = {method, headers: {Accept: accept, ...(body ? {'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body)} : {})}, signal}
    await this.kc.applyToHTTPSOptions(opts)
    const timedOut = () => Object.assign(new Error(`${method} ${url.pathname} timed out after ${Math.round(this.timeoutMs / 1000)}s`), {name: 'TimeoutError'})
    if (url.protocol === 'https:' && !this.http1) {
      this.h2 ??= new Http2Connection(url.origin, {ca: opts.ca, cert: opts.cert, key: opts.key, rejectUnauthorized: opts.rejectUnauthorized, servername: opts.servername})
      try {
        return answer(await this.h2.request(method, url.pathname + url.search, (opts.headers ?? {}) as Record<string, unknown>, body, signal))
      } catch (e) {
        if (!(e instanceof Http2Refused)) throw signal.aborted ? timedOut() : e
        // A server (or a proxy before it) without HTTP/2: this cluster's calls go over HTTP/1.1.
        this.http1 = true
      }
    }
    if (url.protocol === 'https:') {
      // One TLS context for the pool: given the CA and key instead, every socket builds its own.
      this.agent ??= new Agent({keepAlive: true, maxSockets: 8, secureContext: createSecureContext({ca: opts.ca, cert: opts.cert, key: opts.key}), rejectUnauthorized: opts.rejectUnauthorized})
      opts.agent = this.agent
    }
    return new Promise((resolve, reject) => {
      const send = url.protocol === 'http:' ? plainRequest : request
      const req = send(url, opts, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          try {
            resolve(answer({status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]))}))
          } catch (e) {
            reject(e)
          }
        })
        res.on('error', (e) => reject(signal.aborted ? timedOut() : e))
      })
      req.on('error', (e) => reject(signal.aborted ? timedOut() : e))
      req.end(body)
    })
  }
}

/** The answer's JSON on success; a KubeApiError with the server's status and body otherwise. */
function answer(res: RawResponse): unknown {
  if (res.status >= 200 && res.status < 300) return res.text ? JSON.parse(res.text) : undefined
  throw new KubeApiError(res.status, res.text, res.headers)
}

function base(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`
}
