import type {X509Certificate} from 'node:crypto'

import type {V1ClusterRole, V1ClusterRoleBinding, V1ConfigMap, V1Deployment, V1RoleBinding, V1Secret, V1Service, V1ServiceAccount} from '@kubernetes/client-node'

import type {KubeObject} from '../../linkerd/install/manifests.js'
import {DESTINATION_SELECTOR, ISSUER_SECRET, LABEL, LINKERD_NAMESPACE, MULTICLUSTER_NAMESPACE} from '../../linkerd/names.js'
import {AUTHORIZATION_LABEL, POLICY_KINDS} from '../../linkerd/policy.js'
import type {FederationSpec} from '../../spec/types.js'
import type {KubeClient, LinkObject} from './client.js'
import {MODE_LABEL_KEYS, ownerSelector} from './labels.js'
import {serviceKey} from './service-key.js'
import type {LinkerdCli} from './linkerd/install/cli.js'
import {listInstall, type InstallListing} from './linkerd/install/list-install.js'
import {CliUnavailable, type ComponentRenderer} from './linkerd/install/render.js'

const RBAC = 'rbac.authorization.k8s.io/v1'

/** The list calls a Kubernetes kind's read may ask for; each is made once per cluster and read. */
export type ClusterList = 'services' | 'linkerd-config-maps' | 'trust-secrets' | 'owned-secrets' | 'links' | 'remote-access' | 'extension' | 'destination' | 'credential-readers' | 'policies' | 'install'

/**
 * One cluster's objects that mcfed's kinds map from, read in a constant number of list calls
 * whatever the number of services and links. `client` stays for the few follow-up reads a
 * mapping needs (a Service the spec names that no list held; a server-side dry run).
 */
export interface ClusterListing {
  readonly cluster: string
  readonly client: KubeClient
  /** The spec's anchor and, while one is named, trustAnchor.next: the anchors an issuer may be signed by. */
  readonly anchors: readonly X509Certificate[]
  /** Services by `namespace/name`: every one with a mode label, and the spec's own. */
  readonly services: ReadonlyMap<string, V1Service>
  /** Every ConfigMap of the Linkerd namespace: mcfed's trust roots and linkerd-config among them. */
  readonly linkerdConfigMaps: readonly V1ConfigMap[]
  /** Of mcfed's Secrets, those a cluster's trust is read from: its issuer's, in one list of at most one object. */
  readonly trustSecrets: readonly V1Secret[]
  /** mcfed's Secrets in every namespace: the issuer, webhook certificates, both copies of Link credentials. */
  readonly ownedSecrets: readonly V1Secret[]
  /** Links, or undefined when the Link CRD is not installed. */
  readonly links: readonly LinkObject[] | undefined
  readonly remoteAccess: {readonly accounts: readonly V1ServiceAccount[]; readonly roles: readonly V1ClusterRole[]; readonly bindings: readonly V1ClusterRoleBinding[]}
  /** The extension's controllers and gateway Deployments (where `install: external`), and its Services (gateway, probes). */
  readonly extension: {readonly deployments: readonly V1Deployment[]; readonly services: readonly V1Service[]}
  /** The destination controller's Deployment (Linkerd's control plane), where it runs. */
  readonly destination: readonly V1Deployment[]
  /** mcfed's RoleBindings that let each link's service mirror read its credential generations. */
  readonly credentialReaders: readonly V1RoleBinding[]
  /** mcfed's Linkerd policy objects (Servers, MeshTLSAuthentications, AuthorizationPolicies); none where the policy CRDs are not installed. */
  readonly policies: readonly KubeObject[]
  /**
   * What was listed in every namespace under the owner selector alone, by `apiVersion kind`: the
   * install's inventory lists (owner and component labels) are subsets of these, served without
   * another call. Emptied once the install's listing is made: nothing after it reads them, and
   * they are whole objects, managed fields and all.
   */
  readonly ownerLists: Map<string, readonly KubeObject[]>
  /** Undefined unless `install: mcfed`, and where a render was needed, a usable CLI. */
  readonly install?: InstallListing
  /** Why a render this cluster needed could not be made (no usable CLI). */
  readonly cliUnavailable?: Extract<LinkerdCli, {ok: false}>
}

/**
 * The extension's Deployments plan checks: service-mirror controllers, as `linkerd multicluster
 * check` counts them (`component in (controller, service-mirror)` with a cluster-name label,
 * reference §3.4), and the gateway (`component=gateway`), in one list.
 */
export const CONTROLLER_SELECTOR = `${LABEL.component} in (controller,service-mirror,gateway)`


/**
 * The lists a cluster's trust is read from (its roots, its issuer). Every cluster's trust together
 * decides a rotation's phase, which the control plane's render needs: these are listed for all
 * clusters first, and everything else a cluster at a time after (`earlier`), so that only these
 * are held for the whole fleet at once. The issuer is listed alone, not with the rest of mcfed's
 * Secrets: those grow with a cluster's links (two kubeconfigs per link), and held for every
 * cluster until its turn they were most of a fleet's read.
 */
export const TRUST_LISTS: ReadonlySet<ClusterList> = new Set(['linkerd-config-maps', 'trust-secrets'])

/**
 * Makes the list calls `wanted` names, all in parallel, except the install's: it renders the
 * control plane with the cluster's trust bundle, which only all clusters' lists together decide
 * (a rotation's phase), so `withInstall` adds it once they are in. A list not wanted is taken
 * from `earlier` (the same cluster's listing of the lists made before), else empty.
 */
export async function listCluster(client: KubeClient, spec: FederationSpec, cluster: string, wanted: ReadonlySet<ClusterList>, anchors: readonly X509Certificate[], earlier?: ClusterListing): Promise<ClusterListing> {
  const owner = ownerSelector(spec)
  const when = <T>(list: ClusterList, read: () => Promise<T>, none: T, before?: T): Promise<T> => (wanted.has(list) ? read() : Promise.resolve(earlier ? before! : none))
  const ownerLists = new Map<string, readonly KubeObject[]>(earlier?.ownerLists)
  // Listed in every namespace under the owner selector alone, so that the install's lists of the
  // same kinds are served from them (a LIST fewer per kind and cluster).
  const owned = async <T>(apiVersion: string, kind: string, list: Promise<T[]>): Promise<T[]> => {
    const items = await list
    ownerLists.set(`${apiVersion} ${kind}`, items as unknown as KubeObject[])
    return items
  }
  const inMulticluster = <T extends {metadata?: {namespace?: string}}>(items: T[]) => items.filter((o) => o.metadata?.namespace === MULTICLUSTER_NAMESPACE)
  const [services, linkerdConfigMaps, trustSecrets, ownedSecrets, links, remoteAccess, extension, destination, credentialReaders, policies] = await Promise.all([
    when('services', () => listServices(client, spec, cluster), new Map<string, V1Service>(), earlier?.services),
    when('linkerd-config-maps', () => client.listConfigMaps(LINKERD_NAMESPACE), [] as V1ConfigMap[], earlier?.linkerdConfigMaps),
    when('trust-secrets', () => client.listSecrets(LINKERD_NAMESPACE, owner, `metadata.name=${ISSUER_SECRET}`), [] as V1Secret[], earlier?.trustSecrets),
    when('owned-secrets', () => owned('v1', 'Secret', client.listSecrets(undefined, owner)), [] as V1Secret[], earlier?.ownedSecrets),
    when('links', () => client.listLinks(MULTICLUSTER_NAMESPACE), undefined as LinkObject[] | undefined, earlier?.links),
    when(
      'remote-access',
      async () => {
        const [accounts, roles, bindings] = await Promise.all([
          owned('v1', 'ServiceAccount', client.listServiceAccounts(undefined, owner)),
          owned(RBAC, 'ClusterRole', client.listClusterRoles(owner)),
          owned(RBAC, 'ClusterRoleBinding', client.listClusterRoleBindings(owner)),
        ])
        return {accounts: inMulticluster(accounts), roles, bindings}
      },
      {accounts: [], roles: [], bindings: []},
      earlier?.remoteAccess,
    ),
    when(
      'extension',
      async () => {
        // The controllers are checked here only where someone else installs the extension: with
        // `install: mcfed` they are the install's own objects, planned from its inventory (and in a
        // mesh of 50 they are a quarter of what a cluster answers).
        const controllers = spec.spec.linkerd.install === 'external' ? client.listDeployments(CONTROLLER_SELECTOR) : Promise.resolve([])
        const [deployments, services] = await Promise.all([controllers, client.listServices(MULTICLUSTER_NAMESPACE, `${LABEL.extension}=multicluster`)])
        return {deployments, services}
      },
      {deployments: [], services: []},
      earlier?.extension,
    ),
    when('destination', () => client.listDeployments(DESTINATION_SELECTOR), [] as V1Deployment[], earlier?.destination),
    when('credential-readers', async () => inMulticluster(await owned(RBAC, 'RoleBinding', client.listRoleBindings(undefined, owner))), [] as V1RoleBinding[], earlier?.credentialReaders),
    when('policies', () => listPolicies(client, owner, wantsPolicies(spec, cluster), (servers) => ownerLists.set(`${POLICY_KINDS[0].apiVersion} ${POLICY_KINDS[0].kind}`, servers)), [] as KubeObject[], earlier?.policies),
  ])
  return {cluster, client, anchors, services, linkerdConfigMaps, trustSecrets, ownedSecrets, links, remoteAccess, extension, destination, credentialReaders, policies, ownerLists}
}

/** The install's listing (`install: mcfed`), its control plane rendered with `bundlePem` as trust roots. */
export async function withInstall(listing: ClusterListing, spec: FederationSpec, renderer: ComponentRenderer | undefined, bundlePem: string | undefined): Promise<ClusterListing> {
  try {
    if (!renderer) return listing
    return {...listing, install: await listInstall(listing.client, spec, listing.cluster, listing.ownedSecrets, renderer, bundlePem, listing.ownerLists)}
  } catch (e) {
    if (!(e instanceof CliUnavailable)) throw e
    return {...listing, cliUnavailable: e.cli}
  } finally {
    listing.ownerLists.clear()
  }
}

/**
 * mcfed's policy objects of every kind, in every namespace; a kind whose CRD is not installed has
 * none. Every policy mcfed writes has a Server, so where it owns none and the spec wants none here,
 * one LIST says so and the other kinds are not listed.
 */
export async function listPolicies(client: KubeClient, owner: string, wanted: boolean, ownedServers?: (servers: readonly KubeObject[]) => void): Promise<KubeObject[]> {
  const selector = `${owner},${AUTHORIZATION_LABEL}`
  const [server, ...rest] = POLICY_KINDS
  // With `ownedServers`, every Server mcfed owns (the install's among them) is listed and handed on.
  const listed = ((await client.listObjects(server.apiVersion, server.kind, ownedServers ? owner : selector)) ?? []) as unknown as KubeObject[]
  ownedServers?.(listed)
  const servers = ownedServers ? listed.filter((o) => o.metadata.labels?.[AUTHORIZATION_LABEL] !== undefined) : listed
  if (servers.length === 0 && !wanted) return []
  const lists = await Promise.all(rest.map((k) => client.listObjects(k.apiVersion, k.kind, selector)))
  return [...servers, ...lists.flatMap((l) => (l ?? []) as unknown as KubeObject[])]
}

/** Whether the spec asks for a policy in this cluster: a service with an allow list runs there. */
export function wantsPolicies(spec: FederationSpec, cluster: string): boolean {
  return Object.values(spec.spec.services).some((s) => s.allow && s.clusters.includes(cluster))
}

/**
 * Services carrying a mode label (one existence selector per label key, across all namespaces, so
 * a Service whose namespace left the spec is still seen). Only a Service the spec names but the
 * lists lack costs a GET: it is unlabelled (drift) or missing.
 */
async function listServices(client: KubeClient, spec: FederationSpec, cluster: string): Promise<Map<string, V1Service>> {
  const labelled = await Promise.all(MODE_LABEL_KEYS.map((key) => client.listLabelledServices(key)))
  const live = new Map(labelled.flat().map((s) => [serviceKey(s.metadata?.namespace, s.metadata?.name), s]))
  const unlabelled = Object.entries(spec.spec.services).filter(([name, s]) => s.clusters.includes(cluster) && !live.has(serviceKey(s.namespace, name)))
  await Promise.all(
    unlabelled.map(async ([name, s]) => {
      const svc = await client.getService(s.namespace, name)
      if (svc) live.set(serviceKey(s.namespace, name), svc)
    }),
  )
  return live
}
