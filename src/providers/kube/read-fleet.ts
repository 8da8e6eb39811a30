import type {X509Certificate} from 'node:crypto'
import pLimit from 'p-limit'

import type {Diagnostic} from '../../diagnostics/diagnostic.js'
import {ProviderError} from '../../diagnostics/errors.js'
import type {ClusterFacts} from '../../graph/facts.js'
import {mergeObservations, type Observation} from '../../kinds/kind.js'
import {kubeKinds} from '../../kinds/registry.js'
import type {FederationSpec} from '../../spec/types.js'
import {certificateFingerprint} from '../certs/fingerprint.js'
import {fingerprintOf} from '../fingerprint.js'
import type {SecretStore} from '../secrets/secret-store.js'
import type {ProviderRead} from '../types.js'
import type {KubeClient} from './client.js'
import {ownerLabels} from './labels.js'
import {bundlePem, clusterTrust, trustAfterLosses} from './linkerd/cluster-trust.js'
import {installFacts} from './linkerd/install/read-components.js'
import type {ComponentRenderer} from './linkerd/install/render.js'
import {clusterFindings} from './linkerd/read.js'
import {clusterCredentials, credentialFacts, type ClusterCredentials} from './linkerd/read-credentials.js'
import {listMeshedPods, rotationUnderWay, trustFacts} from './linkerd/read-trust.js'
import {storedCredentialSecrets, withStoredCredentials} from './linkerd/stored-credentials.js'
import {listCluster, TRUST_LISTS, withInstall, type ClusterList, type ClusterListing} from './listing.js'
import {blockedWithoutCli, cliMissing, storeUnreadable, unreachable} from './read-diagnostics.js'

export interface FleetReadOptions {
  /** The spec's trust anchors (current, and the next one during a rotation). */
  readonly anchors: {readonly current?: X509Certificate; readonly next?: X509Certificate}
  /** A cluster's client; undefined while the cluster does not exist yet. */
  readonly client: (cluster: string) => Promise<KubeClient | undefined>
  /** Renders `install: mcfed` components where their records do not vouch for them. */
  readonly renderer?: ComponentRenderer
  /** Clusters read at once (default: all). */
  readonly parallelism?: number
  /** GitOps mode: the store whose credential generations count as held by their consumers. */
  readonly store?: () => Promise<SecretStore>
  /** Read no component of `install: mcfed` (a credentials-only run). */
  readonly withoutInstall?: boolean
}

type TrustRead = {cluster: string; unreachable: boolean; diagnostics: Diagnostic[]; listing?: ClusterListing; trust?: ReturnType<typeof trustFacts>}
type ClusterRead = {cluster: string; unreachable: boolean; diagnostics: Diagnostic[]; observed?: Observation; facts?: ClusterFacts; credentials?: ClusterCredentials; cliUnavailable?: ClusterListing['cliUnavailable']}

/**
 * Reads every cluster in two rounds. First every cluster's trust lists: together they decide each
 * one's trust (a rotation's phase), which the control plane's render needs. Then, `parallelism`
 * clusters at a time, everything else: listed, rendered where needed, observed, and let go,
 * keeping only what spans clusters (its credentials), so that a fleet's lists are never all held
 * at once. Last, what only all clusters together show (shared issuers, revoked tokens).
 */
export async function readFleet(spec: FederationSpec, o: FleetReadOptions): Promise<ProviderRead> {
  const anchorList = [o.anchors.current, o.anchors.next].filter((a): a is X509Certificate => a !== undefined)
  const fingerprints = {current: o.anchors.current && certificateFingerprint(o.anchors.current), next: o.anchors.next && certificateFingerprint(o.anchors.next)}
  const clusters = Object.keys(spec.spec.clusters)
  const kinds = kubeKinds()
  // The extension's lists feed the cluster's facts and findings, and the trust lists its trust, whatever the kinds read.
  const wanted = new Set<ClusterList>(['extension', 'links', ...TRUST_LISTS, ...kinds.flatMap((k) => k.lists)])
  if (o.withoutInstall) wanted.delete('install')
  const laterLists = new Set([...wanted].filter((l) => !TRUST_LISTS.has(l) && l !== 'install'))
  const bounded = pLimit(o.parallelism ?? clusters.length)
  const ctx = {spec}

  // GitOps mode: the credential generations apply wrote to the store count as held by their consumers.
  const storeDiagnostics: Diagnostic[] = []
  const stored =
    o.store && spec.spec.gitops
      ? o
          .store()
          .then((store) => storedCredentialSecrets(store, spec, ownerLabels(spec)))
          .catch((e: unknown) => void storeDiagnostics.push(storeUnreadable(e)))
      : undefined
  const listed = await Promise.all(
    clusters.map((cluster) =>
      bounded(async (): Promise<TrustRead> => {
        const client = await o.client(cluster)
        if (!client) return {cluster, unreachable: false, diagnostics: []}
        try {
          const listing = await listCluster(client, spec, cluster, TRUST_LISTS, anchorList)
          const pods = rotationUnderWay(listing, fingerprints.current, fingerprints.next) ? await listMeshedPods(client) : []
          return {cluster, unreachable: false, diagnostics: [], listing, trust: trustFacts(listing, pods, anchorList)}
        } catch (e) {
          if (e instanceof ProviderError) throw e
          return {cluster, unreachable: true, diagnostics: [unreachable(cluster, e)]}
        }
      }),
    ),
  )
  const fromStore = await stored
  const trust = fingerprints.current ? clusterTrust(listed, fingerprints.current, fingerprints.next, anchorList) : undefined

  const reads = await Promise.all(
    listed.map((read, i) =>
      bounded(async (): Promise<ClusterRead> => {
        const earlier = read.listing
        // Its trust lists are this task's alone from here on: let go when it ends.
        listed[i] = {cluster: read.cluster, unreachable: read.unreachable, diagnostics: read.diagnostics, ...(read.trust ? {trust: read.trust} : {})}
        const {cluster} = read
        if (!earlier) return {cluster, unreachable: read.unreachable, diagnostics: read.diagnostics}
        try {
          const bundle = trust?.plan.clusters[cluster]?.bundle
          const lists = await listCluster(earlier.client, spec, cluster, laterLists, anchorList, earlier)
          const rest = fromStore ? {...lists, ownedSecrets: withStoredCredentials(lists.ownedSecrets, fromStore.get(cluster))} : lists
          const listing = await withInstall(rest, spec, wanted.has('install') ? o.renderer : undefined, bundle && bundlePem(bundle, trust!.pems))
          const observed = mergeObservations(await Promise.all(kinds.map((k) => k.observe(listing, ctx))))
          const findings = clusterFindings(listing, spec)
          const facts = {...findings.facts, ...(listing.install ? {install: installFacts(listing.install)} : {})}
          const cliUnavailable = listing.cliUnavailable ? {cliUnavailable: listing.cliUnavailable} : {}
          return {cluster, unreachable: false, observed, facts, credentials: clusterCredentials(listing), ...cliUnavailable, diagnostics: [...observed.diagnostics, ...findings.diagnostics]}
        } catch (e) {
          if (e instanceof ProviderError) throw e
          return {cluster, unreachable: true, diagnostics: [unreachable(cluster, e)]}
        }
      }),
    ),
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
