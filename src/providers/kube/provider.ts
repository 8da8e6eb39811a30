import type {SecretStore} from '../secrets/secret-store.js'
import {X509Certificate} from 'node:crypto'
import pLimit from 'p-limit'
import {dirname, join} from 'node:path'

import type {Diagnostic} from '../../diagnostics/diagnostic.js'
import {ProviderError} from '../../diagnostics/errors.js'
import {mergeObservations, type Observation} from '../../kinds/kind.js'
import type {ClusterFacts} from '../../graph/facts.js'
import type {KubeMutationContext} from '../../kinds/kube/kube-kind.js'
import {kubeKindOf, kubeKinds} from '../../kinds/registry.js'
import type {ResourceKind} from '../../graph/resource.js'
import type {ResourceChange} from '../../plan/types.js'
import type {FederationSpec} from '../../spec/types.js'
import {fingerprintOf} from '../fingerprint.js'
import type {Mutation, Provider, ProviderRead} from '../types.js'
import {kubeClient, reasonOf, type ClusterAccess, type KubeClient} from './client.js'
import {anchorFileSecrets} from '../certs/secrets-port.js'
import {specAnchorCertificates} from '../certs/anchor.js'
import {issuerValidityMs} from './issuer.js'
import {ownerLabels} from './labels.js'
import {listCluster, TRUST_LISTS, withInstall, type ClusterList, type ClusterListing} from './listing.js'
import {listMeshedPods, rotationUnderWay, trustFacts} from './linkerd/read-trust.js'
import {bundlePem, clusterTrust, trustAfterLosses} from './linkerd/cluster-trust.js'
import {certificateFingerprint} from '../certs/fingerprint.js'
import {clusterFindings} from './linkerd/read.js'
import {installFacts} from './linkerd/install/read-components.js'
import {clusterCredentials, credentialFacts, type ClusterCredentials} from './linkerd/read-credentials.js'
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
import {storedCredentialSecrets, withStoredCredentials} from './linkerd/stored-credentials.js'
import {blockedWithoutCli, cliMissing, storeUnreadable, unreachable, unreachableReason} from './read-diagnostics.js'

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

  /**
   * Every cluster in parallel: the lists its kinds ask for, once each, then each kind's mapping;
   * last, what only all clusters together show (shared issuers, revoked tokens).
   */
  async read(spec: FederationSpec): Promise<ProviderRead> {
    const anchors = await specAnchorCertificates(this.o.spec, this.o.specFile)
    const anchorList = [anchors.current, anchors.next].filter((a): a is X509Certificate => a !== undefined)
    const clusters = Object.keys(spec.spec.clusters)
    const renderer = this.componentRenderer()
    const kinds = kubeKinds()
    // The extension's lists feed the cluster's facts and findings whatever the kinds read.
    const wanted = new Set<ClusterList>(['extension', 'links', 'linkerd-config-maps', ...kinds.flatMap((k) => k.lists)])
    if (this.o.withoutInstall) wanted.delete('install')
    const ctx = {spec}
    const bounded = pLimit(this.o.readParallelism ?? clusters.length)
    const fingerprints = {current: anchors.current && certificateFingerprint(anchors.current), next: anchors.next && certificateFingerprint(anchors.next)}
    type Read = {cluster: string; unreachable: boolean; diagnostics: Diagnostic[]; listing?: ClusterListing; trust?: ReturnType<typeof trustFacts>; observed?: Observation; facts?: ClusterFacts; credentials?: ClusterCredentials; cliUnavailable?: ClusterListing['cliUnavailable']}
    // First every cluster's trust lists: together they decide each one's trust (a rotation's
    // phase), which the control plane's render needs.
    // GitOps mode: the credential generations apply wrote to the store count as held by their consumers.
    const storeDiagnostics: Diagnostic[] = []
    const stored =
      this.o.store && spec.spec.gitops
        ? this.o
            .store()
            .then((store) => storedCredentialSecrets(store, spec, ownerLabels(spec)))
            .catch((e: unknown) => void storeDiagnostics.push(storeUnreadable(e)))
        : undefined
    const trustLists = new Set([...wanted].filter((l) => TRUST_LISTS.has(l)))
    const laterLists = new Set([...wanted].filter((l) => !TRUST_LISTS.has(l) && l !== 'install'))
    const listed = await Promise.all(
      clusters.map((cluster) => bounded(async (): Promise<Read> => {
        const client = await this.client(cluster, false)
        if (!client) return {cluster, unreachable: false, diagnostics: []}
        try {
          const listing = await listCluster(client, spec, cluster, trustLists, anchorList)
          const pods = rotationUnderWay(listing, fingerprints.current, fingerprints.next) ? await listMeshedPods(client) : []
          return {cluster, unreachable: false, diagnostics: [], listing, trust: trustFacts(listing, pods, anchorList)}
        } catch (e) {
          if (e instanceof ProviderError) throw e
          return {cluster, unreachable: true, diagnostics: [unreachable(cluster, e)]}
        }
      })),
    )
    const fromStore = await stored
    if (fromStore) for (const r of listed) if (r.listing) r.listing = {...r.listing, ownedSecrets: withStoredCredentials(r.listing.ownedSecrets, fromStore.get(r.cluster))}
    const trust = fingerprints.current ? clusterTrust(listed, fingerprints.current, fingerprints.next, anchorList) : undefined
    // Then a cluster at a time (within the bound), everything else: listed, rendered where needed,
    // observed, and let go, keeping only what spans clusters (its credentials).
    const reads = await Promise.all(
      listed.map((read, i) => bounded(async (): Promise<Read> => {
        const earlier = read.listing
        // Its trust lists are this task's alone from here on: let go when it ends.
        listed[i] = {cluster: read.cluster, unreachable: read.unreachable, diagnostics: read.diagnostics, ...(read.trust ? {trust: read.trust} : {})}
        if (!earlier) return read
        const {cluster} = read
        try {
          const bundle = trust?.plan.clusters[cluster]?.bundle
          const rest = await listCluster(earlier.client, spec, cluster, laterLists, anchorList, earlier)
          const listing = await withInstall(rest, spec, wanted.has('install') ? renderer : undefined, bundle && bundlePem(bundle, trust!.pems))
          const observed = mergeObservations(await Promise.all(kinds.map((k) => k.observe(listing, ctx))))
          const findings = clusterFindings(listing, spec)
          const facts = {...findings.facts, ...(listing.install ? {install: installFacts(listing.install)} : {})}
          const cliUnavailable = listing.cliUnavailable ? {cliUnavailable: listing.cliUnavailable} : {}
          return {cluster, unreachable: false, observed, facts, credentials: clusterCredentials(listing), ...cliUnavailable, diagnostics: [...observed.diagnostics, ...findings.diagnostics]}
        } catch (e) {
          if (e instanceof ProviderError) throw e
          return {cluster, unreachable: true, diagnostics: [unreachable(cluster, e)]}
        }
      })),
    )
    const lost = new Set(reads.filter((r, i) => r.unreachable && listed[i]!.trust).map((r) => r.cluster))
    const settled = trust && trustAfterLosses(trust, listed, lost, fingerprints.current!, fingerprints.next, anchorList)
    const fleet = new Map(reads.flatMap((r) => (r.credentials ? [[r.cluster, r.credentials] as const] : [])))
    const observed = reads.flatMap((r) => r.observed?.resources ?? [])
    const resources = kinds.flatMap((k) => {
      const mine = observed.filter((r) => r.kind === k.kind)
      return k.relate ? k.relate(mine, fleet, ctx) : mine
    })
    const credentials = credentialFacts(spec, fleet)
    const withoutCli = reads.flatMap((r) => (r.cliUnavailable ? [{cluster: r.cluster, cli: r.cliUnavailable}] : []))
    const cliDiagnostics = withoutCli.length > 0 ? [cliMissing(withoutCli[0]!.cli, withoutCli.map((l) => l.cluster), blockedWithoutCli(spec))] : []
    return {
      resources,
      diagnostics: [...cliDiagnostics, ...storeDiagnostics, ...reads.flatMap((r) => r.diagnostics)],
      blockedKinds: cliDiagnostics.length > 0 ? blockedWithoutCli(spec) : [],
      facts: Object.fromEntries(reads.flatMap((r) => (r.facts ? [[r.cluster, {...r.facts, ...(credentials[r.cluster] ? {credentials: credentials[r.cluster]} : {})}]] : []))),
      unreachable: reads.filter((r) => r.unreachable).map((r) => r.cluster),
      ...(settled ? {trust: settled.plan} : {}),
      fingerprint: fingerprintOf(resources),
    }
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
