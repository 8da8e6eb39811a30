import {Flags} from '@oclif/core'

import {UserError} from '../diagnostics/errors.js'
import type {GcpTarget} from '../providers/gcp/client.js'
import type {ClusterAccess} from '../providers/kube/client.js'
import type {LeaseStore} from '../providers/lease.js'
import type {Provider} from '../providers/types.js'
import {readSandboxInfo} from '../sandbox/paths.js'
import {isAlive} from '../util/process.js'
import type {FederationSpec} from '../spec/types.js'

export const LAYERS = ['gcp', 'kube'] as const
export type Layer = (typeof LAYERS)[number]

export const targetFlags = {
  layer: Flags.string({
    description: 'plan and change only these layers (default: all); e.g. --layer gcp for the network team',
    options: [...LAYERS],
    multiple: true,
    env: 'MCFED_LAYERS',
    delimiter: ',',
    helpGroup: 'TARGET',
  }),
  'allow-unreachable': Flags.boolean({
    description: 'plan the reachable clusters when some cluster API cannot be read (its state stays unknown and is left out)',
    helpGroup: 'TARGET',
  }),
  sandbox: Flags.boolean({
    description: 'target the running `mcfed sandbox` instead of Google Cloud (or set MCFED_SANDBOX=1)',
    env: 'MCFED_SANDBOX',
    helpGroup: 'TARGET',
  }),
  'linkerd-cli': Flags.string({
    description: 'the linkerd CLI that renders Linkerd\'s manifests, of the release spec.linkerd.version names (default: MCFED_LINKERD_CLI, else `linkerd` on PATH)',
    helpGroup: 'TARGET',
  }),
  'gcp-endpoint': Flags.string({
    description: 'base URL of a GCP API simulator, e.g. http://127.0.0.1:8089 (or set MCFED_GCP_ENDPOINT)',
    env: 'MCFED_GCP_ENDPOINT',
    helpGroup: 'TARGET',
  }),
}

/** Terraform's resource selection, for plan, apply, destroy and drift. */
export const selectionFlags = {
  target: Flags.string({
    description: 'plan only this resource and what it depends on (repeatable; an address as the plan prints it, e.g. gke_cluster.west); the plan says it is partial',
    multiple: true,
    helpGroup: 'TARGET',
  }),
}

export const replaceFlag = {
  replace: Flags.string({
    description: 'replace this resource although nothing forces it, e.g. --replace linkerd_issuer.west to re-issue one cluster\'s issuer (repeatable)',
    multiple: true,
    helpGroup: 'TARGET',
  }),
}

/** Google Cloud through Application Default Credentials, or the local simulator. */
export function resolveGcpTarget(flags: {sandbox?: boolean; 'gcp-endpoint'?: string}): GcpTarget {
  if (flags['gcp-endpoint']) return {kind: 'sandbox', url: flags['gcp-endpoint']}
  if (flags.sandbox) {
    const info = readSandboxInfo()
    if (!info || !isAlive(info.pid)) throw new UserError('no mcfed sandbox is running', 'start one with `mcfed sandbox up`')
    return {kind: 'sandbox', url: info.gcp.endpoint}
  }
  return {kind: 'gcp'}
}

/** `--layer` values, whether oclif gives them as a list (flags) or one comma-separated string (MCFED_LAYERS). */
export function selectedLayers(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const list = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)
  const unknown = list.filter((l) => !(LAYERS as readonly string[]).includes(l))
  if (unknown.length > 0) throw new UserError(`unknown layer ${unknown.join(', ')}`, `layers are ${LAYERS.join(', ')}`)
  return list.length > 0 ? list : undefined
}

export interface ProviderTuning {
  /** Only these layers get a provider. */
  readonly layers?: readonly string[]
  readonly operationTimeoutMs?: number
  /** The spec file, so the trust anchor files resolve relative to it. */
  readonly specFile?: string
  /** `--linkerd-cli`. */
  readonly linkerdCli?: string
}

/** The providers of a run and where its federation lease lives. */
export interface Estate {
  readonly providers: Provider[]
  /** Every writing run holds the lease here, whichever layers it writes. */
  readonly leaseStore: () => Promise<LeaseStore>
}

/**
 * Loaded on demand: the Google SDKs take a second to load, which validate, offline plans and
 * Kubernetes-only plans of kubeContext clusters never need.
 */
export async function buildProviders(spec: FederationSpec, target: GcpTarget, tuning: ProviderTuning = {}): Promise<Provider[]> {
  return (await buildEstate(spec, target, tuning)).providers
}

export async function buildEstate(spec: FederationSpec, target: GcpTarget, tuning: ProviderTuning = {}): Promise<Estate> {
  const wanted = new Set(tuning.layers?.length ? tuning.layers : LAYERS)
  // GKE clusters are reached through their GCP resource, so the kube layer needs GCP for them too.
  const needsGcp = wanted.has('gcp') || Object.values(spec.spec.clusters).some((c) => !c.kubeContext)
  const gcp = needsGcp ? await gcpProvider(spec, target, tuning) : undefined
  const {KubeProvider} = await import('../providers/kube/provider.js')
  const access = async (cluster: string, fresh = false): Promise<ClusterAccess | undefined> => {
    const context = spec.spec.clusters[cluster]?.kubeContext
    if (context) return {kind: 'context', context}
    const gke = (await gcp!.clusters(fresh)).find((c) => c.name === cluster && c.status !== 'STOPPING')
    if (!gke?.endpoint) return undefined
    return {kind: 'endpoint', server: `https://${gke.endpoint}`, caPem: Buffer.from(gke.masterAuth?.clusterCaCertificate ?? '', 'base64').toString(), token: await gcp!.clients.accessToken()}
  }
  const kube = new KubeProvider({
    spec,
    specFile: tuning.specFile ?? 'federation.yaml',
    linkerdCli: tuning.linkerdCli,
    access,
    // When only the kube layer is selected, GCP serves its cluster list and closes with it.
    close: gcp && !wanted.has('gcp') ? () => gcp.close() : undefined,
  })
  const federation = spec.metadata.name
  return {
    // GCP first: the Kubernetes provider reads the cluster list the GCP read starts.
    providers: [...(gcp && wanted.has('gcp') ? [gcp] : []), ...(wanted.has('kube') ? [kube] : [])],
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
