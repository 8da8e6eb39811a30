import type {SecretStore} from '../secrets/secret-store.js'
import {dirname, join} from 'node:path'

import {ProviderError} from '../../diagnostics/errors.js'
import type {KubeMutationContext} from '../../kinds/kube/kube-kind.js'
import {kubeKindOf, kubeKinds} from '../../kinds/registry.js'
import type {ResourceKind} from '../../graph/resource.js'
import type {ResourceChange} from '../../plan/types.js'
import type {FederationSpec} from '../../spec/types.js'
import type {Mutation, Provider, ProviderRead} from '../types.js'
import {kubeClient, reasonOf, type ClusterAccess, type KubeClient} from './client.js'
import {anchorFileSecrets} from '../certs/secrets-port.js'
import {specAnchorCertificates} from '../certs/anchor.js'
import {issuerValidityMs} from './issuer.js'
import {ownerLabels} from './labels.js'
import {bumpCanaries} from './linkerd/canary.js'
import {CANARY, MULTICLUSTER_NAMESPACE} from '../../linkerd/names.js'
import {validLinks} from '../../graph/topology.js'
import {readMesh} from './linkerd/read-mesh.js'
import type {ClusterMesh} from '../../verify/mesh-state.js'
import {findLinkerdCli, type LinkerdCli} from './linkerd/install/cli.js'
import {IssuedIssuers} from './linkerd/install/certificates.js'
import {FederationJoins} from './linkerd/federation-joins.js'
import {joinsOfLink, joinsOfMember} from '../../linkerd/federation.js'
import {ComponentRenderer} from './linkerd/install/render.js'
import {unreachableReason} from './read-diagnostics.js'
import {readFleet} from './read-fleet.js'

export interface KubeProviderOptions {
  readonly spec: FederationSpec
  /** The spec file, to find the trust anchor files relative to it. */
  readonly specFile: string
  /** How to reach a cluster; undefined while the cluster does not exist yet. */
  readonly access: (cluster: string, fresh: boolean) => Promise<ClusterAccess | undefined>
  /** Releases what `access` uses, when nothing else will. */
  readonly close?: () => Promise<void>
  /** `--linkerd-cli`: the CLI that renders Linkerd's manifests (else MCFED_LINKERD_CLI, else PATH). */
  readonly linkerdCli?: string
  /** Clusters read at once (default: all). */
  readonly readParallelism?: number
  /** GitOps mode: the secret store link credentials are written to (opened when first needed). */
  readonly store?: () => Promise<SecretStore>
  /** Read no component of `install: mcfed` (a credentials-only run): nothing is rendered. */
  readonly withoutInstall?: boolean
}

/** Kinds the Kubernetes provider manages: every kind of the kube layer in the registry. */
export const KUBE_KINDS: readonly ResourceKind[] = kubeKinds().map((k) => k.kind as ResourceKind)

/** How long apply waits for a target's gateway to get an external address. */
const GATEWAY_TIMEOUT_MS = 5 * 60_000

export class KubeProvider implements Provider {
  readonly kinds = KUBE_KINDS
  readonly name = 'kube'
  readonly tellsFacts = true
  private readonly clients = new Map<string, {client: KubeClient; token?: string}>()
  private readonly issued = new IssuedIssuers()
  private readonly joins = new FederationJoins()
  private cli?: Promise<LinkerdCli>
  private renderer?: ComponentRenderer

  constructor(private readonly o: KubeProviderOptions) {}

  /** Every cluster, in two rounds (see readFleet), with this provider's clients and renderer. */
  async read(spec: FederationSpec): Promise<ProviderRead> {
    return readFleet(spec, {
      anchors: await specAnchorCertificates(this.o.spec, this.o.specFile),
      client: (cluster) => this.client(cluster, false),
      renderer: this.componentRenderer(),
      ...(this.o.readParallelism !== undefined ? {parallelism: this.o.readParallelism} : {}),
      ...(this.o.store ? {store: this.o.store} : {}),
      ...(this.o.withoutInstall ? {withoutInstall: true} : {}),
    })
  }

  /**
   * `verify`'s one write: a new value on every link target's canaries (those that exist), which
   * each consumer's mirror must then carry. Returns the clusters written to.
   */
  async bumpCanaries(spec: FederationSpec, value: string): Promise<string[]> {
    const targets = new Map<string, Set<'flat' | 'gateway'>>()
    for (const l of validLinks(spec)) targets.set(l.to, (targets.get(l.to) ?? new Set()).add(l.mode))
    const bumped = await Promise.all(
      [...targets].map(async ([cluster, modes]) => {
        try {
          const client = await this.client(cluster, false)
          if (!client) return undefined
          const names: string[] = []
          for (const m of modes) if (await client.readObject('v1', 'Service', CANARY.services[m], MULTICLUSTER_NAMESPACE)) names.push(CANARY.services[m])
          await bumpCanaries(client, names, value)
          return names.length > 0 ? cluster : undefined
        } catch {
          // An unreachable target: the read that follows names it.
          return undefined
        }
      }),
    )
    return bumped.filter((c): c is string => c !== undefined)
  }

  /** Every cluster's mesh as Linkerd's controllers left it, for `verify`; read-only, in parallel. */
  async readMesh(spec: FederationSpec): Promise<{mesh: Record<string, ClusterMesh>; unreachable: {cluster: string; reason: string}[]}> {
    const clusters = Object.keys(spec.spec.clusters)
    const reads = await Promise.all(
      clusters.map(async (cluster) => {
        try {
          const client = await this.client(cluster, false)
          if (!client) return {cluster, error: 'it does not exist'}
          return {cluster, mesh: await readMesh(client, spec, cluster)}
        } catch (e) {
          return {cluster, error: unreachableReason(e)}
        }
      }),
    )
    return {
      mesh: Object.fromEntries(reads.flatMap((r) => (r.mesh ? [[r.cluster, r.mesh]] : []))),
      unreachable: reads.flatMap((r) => (r.error ? [{cluster: r.cluster, reason: r.error}] : [])),
    }
  }

  async apply(step: Mutation, change: ResourceChange, signal?: AbortSignal): Promise<void> {
    const kind = kubeKindOf(change.kind)
    if (!kind) throw new ProviderError(`${change.address}: not a Kubernetes resource`, {resource: change.address})
    const client = await this.reachable(change.cluster, change.address)
    const {spec} = this.o
    const base = dirname(this.o.specFile)
    const {certFile, keyFile, next} = spec.spec.linkerd.trustAnchor
    const ctx: KubeMutationContext = {
      client,
      clientFor: (cluster) => this.reachable(cluster, change.address),
      owner: ownerLabels(spec),
      install: spec.spec.linkerd.install,
      secrets: anchorFileSecrets({certFile: join(base, certFile), keyFile: join(base, keyFile)}, next && {certFile: join(base, next.certFile), keyFile: join(base, next.keyFile)}),
      issued: this.issued,
      certificateValidityMs: issuerValidityMs(spec),
      renderer: this.componentRenderer(),
      gatewayTimeoutMs: GATEWAY_TIMEOUT_MS,
      rolloutWave: this.o.readParallelism ?? 16,
      federation: {
        ofMember: (cluster, namespace, service) => joinsOfMember(spec, cluster, namespace, service),
        ofLink: (consumer, link, target) => joinsOfLink(spec, consumer, link, target),
        serialized: (joins, write) => this.joins.serialized(joins, {clientFor: (cluster) => this.reachable(cluster, change.address), ...(signal ? {signal} : {})}, write),
      },
      ...(this.o.store ? {store: this.o.store} : {}),
      signal,
    }
    try {
      await kind.mutate(ctx, step, change)
    } catch (e) {
      if (e instanceof ProviderError) throw e
      throw new ProviderError(`${step === 'delete' ? 'deleting' : 'applying'} ${change.address} failed: ${reasonOf(e)}`, {resource: change.address}, {cause: e})
    }
  }

  /** A cluster's client for commands that work on clusters directly (`drill`); an error names a cluster that cannot be reached. */
  clusterClient(cluster: string): Promise<KubeClient> {
    return this.reachable(cluster, `cluster ${cluster}`)
  }

  private async reachable(cluster: string, resource: string): Promise<KubeClient> {
    const client = await this.client(cluster, true)
    if (!client) throw new ProviderError(`cluster ${cluster} cannot be reached: it does not exist`, {resource})
    return client
  }

  async close(): Promise<void> {
    this.clients.clear()
    await this.o.close?.()
  }

  /**
   * Access is resolved on every use: GKE tokens last about an hour and the auth library refreshes
   * them before expiry, so a long apply rebuilds the client when the token changed.
   */
  private async client(cluster: string, fresh: boolean): Promise<KubeClient | undefined> {
    const access = await this.o.access(cluster, fresh && !this.clients.has(cluster))
    if (!access) return undefined
    const token = access.kind === 'endpoint' ? access.token : undefined
    const cached = this.clients.get(cluster)
    if (cached && cached.token === token) return cached.client
    const client = kubeClient(cluster, access)
    this.clients.set(cluster, {client, token})
    return client
  }

  private linkerdCli(): Promise<LinkerdCli> {
    this.cli ??= findLinkerdCli(this.o.spec.spec.linkerd.version, {flag: this.o.linkerdCli})
    return this.cli
  }

  /** Undefined unless `install: mcfed`; the CLI is looked for only when something needs a render. */
  private componentRenderer(): ComponentRenderer | undefined {
    if (this.o.spec.spec.linkerd.install !== 'mcfed') return undefined
    this.renderer ??= new ComponentRenderer(() => this.linkerdCli())
    return this.renderer
  }

  /** Linkerd renders this provider's CLI made so far (0 in a plan the render records vouch for). */
  get cliRenders(): number {
    return this.renderer?.renders ?? 0
  }
}
