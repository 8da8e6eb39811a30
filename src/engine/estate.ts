import type {SecretStore} from '../providers/secrets/secret-store.js'
import type {GcpTarget} from '../providers/gcp/client.js'
import type {ClusterAccess} from '../providers/kube/client.js'
import {FederationLease, withLease, type LeaseStore} from '../providers/lease.js'
import type {Provider} from '../providers/types.js'
import type {FederationSpec} from '../spec/types.js'
import {LAYERS, providerLayers} from '../model/kinds.js'

export interface ProviderTuning {
  /** Only these layers get a provider. */
  readonly layers?: readonly string[]
  readonly operationTimeoutMs?: number
  /** The spec file, so the trust anchor files resolve relative to it. */
  readonly specFile?: string
  /** `--linkerd-cli`. */
  readonly linkerdCli?: string
  /** `--read-parallelism`: clusters read at once. */
  readonly readParallelism?: number
}

/**
 * Clusters read at once. Each read is a few dozen small requests, mostly waiting on the network:
 * 16 keeps a 2-core machine busy without holding hundreds of clusters' objects in memory at once.
 */
export const DEFAULT_READ_PARALLELISM = 16

/** The providers of a run and where its federation lease lives. */
export interface Estate {
  readonly providers: Provider[]
  /** Every writing run holds the lease here, whichever layers it writes. */
  readonly leaseStore: () => Promise<LeaseStore>
  /** GitOps mode: the secret store, opened on first use and closed with the Kubernetes provider. */
  readonly secretStore?: () => Promise<SecretStore>
}

/**
 * Loaded on demand: the Google SDKs take a second to load, which validate, offline plans and
 * Kubernetes-only plans of kubeContext clusters never need.
 */
export async function buildProviders(spec: FederationSpec, target: GcpTarget, tuning: ProviderTuning = {}): Promise<Provider[]> {
  return (await buildEstate(spec, target, tuning)).providers
}

export async function buildEstate(spec: FederationSpec, target: GcpTarget, tuning: ProviderTuning = {}): Promise<Estate> {
  const wanted = new Set<string>(tuning.layers?.length ? providerLayers(tuning.layers) : LAYERS)
  // GKE clusters are reached through their GCP resource, so the kube layer needs GCP for them too.
  const needsGcp = wanted.has('gcp') || Object.values(spec.spec.clusters).some((c) => !c.kubeContext)
  const gcp = needsGcp ? await gcpProvider(spec, target, tuning) : undefined
  const access = async (cluster: string, fresh = false): Promise<ClusterAccess | undefined> => {
    const context = spec.spec.clusters[cluster]?.kubeContext
    if (context) return {kind: 'context', context}
    const gke = (await gcp!.clusters(fresh)).find((c) => c.name === cluster && c.status !== 'STOPPING')
    if (!gke?.endpoint) return undefined
    return {kind: 'endpoint', server: `https://${gke.endpoint}`, caPem: Buffer.from(gke.masterAuth?.clusterCaCertificate ?? '', 'base64').toString(), token: await gcp!.clients.accessToken()}
  }
  // GitOps mode: link credentials go to Secret Manager, in the federation's project, opened on first use.
  let store: Promise<SecretStore> | undefined
  const storeOf = spec.spec.gitops ? () => (store ??= import('../providers/secrets/secret-store.js').then((m) => m.secretManagerStore(target, spec.spec.gcp.project))) : undefined
  // The Kubernetes client stack takes about a second to load: only a run that reads clusters pays it.
  const kube = wanted.has('kube')
    ? new (await import('../providers/kube/provider.js')).KubeProvider({
        spec,
        specFile: tuning.specFile ?? 'federation.yaml',
        linkerdCli: tuning.linkerdCli,
        readParallelism: tuning.readParallelism ?? DEFAULT_READ_PARALLELISM,
        // `--layer credentials` alone plans no component: Linkerd's CLI is not needed, nor run.
        withoutInstall: tuning.layers?.length ? !tuning.layers.includes('kube') : false,
        access,
        // When only the kube layer is selected, GCP serves its cluster list and closes with it.
        close: async () => {
          await (await store)?.close()
          if (gcp && !wanted.has('gcp')) await gcp.close()
        },
        ...(storeOf ? {store: storeOf} : {}),
      })
    : undefined
  const federation = spec.metadata.name
  return {
    ...(storeOf && kube ? {secretStore: storeOf} : {}),
    // GCP first: the Kubernetes provider reads the cluster list the GCP read starts.
    providers: [...(gcp && wanted.has('gcp') ? [gcp] : []), ...(kube ? [kube] : [])],
    async leaseStore() {
      // With GCP in the federation the lease is the project's, so a Kubernetes-only apply and a
      // full one exclude each other; without it, a Lease in the first cluster holds it.
      if (gcp) {
        const {ProjectMetadataLeaseStore} = await import('../providers/gcp/lock.js')
        return new ProjectMetadataLeaseStore(gcp.clients, spec.spec.gcp.project, federation, {timeoutMs: 60_000, pollMs: 200, retry: {attempts: 5, baseMs: 200, maxMs: 2_000}})
      }
      const {KubeLeaseStore} = await import('../providers/kube/lease-store.js')
      const {kubeClient} = await import('../providers/kube/client.js')
      const cluster = Object.keys(spec.spec.clusters).sort()[0]!
      return new KubeLeaseStore(kubeClient(cluster, (await access(cluster))!), cluster, federation)
    },
  }
}

async function gcpProvider(spec: FederationSpec, target: GcpTarget, tuning: ProviderTuning) {
  const {GcpProvider} = await import('../providers/gcp/provider.js')
  const local = target.kind === 'sandbox'
  return new GcpProvider({
    target,
    project: spec.spec.gcp.project,
    // The simulator answers in milliseconds; real GCP deserves gentler polling.
    pollMs: local ? 100 : 2_000,
    retry: local ? {attempts: 8, baseMs: 100, maxMs: 2_000} : undefined,
    operationTimeoutMs: tuning.operationTimeoutMs,
    clusterTimeoutMs: tuning.operationTimeoutMs,
  })
}

export interface LeaseOptions {
  readonly operation: 'apply' | 'destroy'
  /** How long to wait for another run's lease. */
  readonly timeoutMs: number
}

/**
 * Providers for the selected layers, under the federation lease (whatever layers are selected:
 * a Kubernetes-only apply writes too), always closed afterwards.
 */
export async function withLockedEstate<T>(spec: FederationSpec, target: GcpTarget, tuning: ProviderTuning, lease: LeaseOptions, fn: (providers: readonly Provider[]) => Promise<T>): Promise<T> {
  const estate = await buildEstate(spec, target, tuning)
  try {
    const held = new FederationLease(await estate.leaseStore(), {federation: spec.metadata.name, operation: lease.operation, ttlMs: 5 * 60_000, timeoutMs: lease.timeoutMs, pollMs: 1_000})
    return await withLease(held, () => fn(estate.providers))
  } finally {
    await Promise.all(estate.providers.map((p) => p.close()))
  }
}
