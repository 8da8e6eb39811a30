import type {V1ConfigMap, V1Secret} from '@kubernetes/client-node'

import type {Diagnostic} from '../../../diagnostics/diagnostic.js'
import type {ClusterFacts} from '../../../graph/facts.js'
import type {ObservedResource} from '../../../graph/resource.js'
import {gatewayClusters, validLinks} from '../../../graph/topology.js'
import {LABEL, LINKERD_CONFIG_MAP, MULTICLUSTER_NAMESPACE} from '../../../linkerd/names.js'
import type {FederationSpec} from '../../../spec/types.js'
import type {KubeClient} from '../client.js'
import {ownerSelector} from '../labels.js'
import {checkInstallation, type LiveController} from './findings.js'
import {gatewayFacts} from './gateway.js'
import {observeLinks, type TokenBinding} from './read-links.js'
import {observeRemoteAccess} from './read-remote-access.js'

export interface LinkerdRead {
  readonly resources: ObservedResource[]
  readonly diagnostics: Diagnostic[]
  readonly bindings: TokenBinding[]
  readonly facts: ClusterFacts
  /** UIDs of mcfed's remote-access ServiceAccounts on this cluster, by name. */
  readonly serviceAccountUids: ReadonlyMap<string, string>
}

/**
 * The extension's Deployments plan checks: service-mirror controllers, as `linkerd multicluster
 * check` counts them (`component in (controller, service-mirror)` with a cluster-name label,
 * reference §3.4), and the gateway (`component=gateway`), in one list.
 */
export const CONTROLLER_SELECTOR = `${LABEL.component} in (controller,service-mirror,gateway)`

/** Whether a Deployment is a service-mirror controller (it names the link it serves). */
export function isController(labels: Record<string, string> | undefined): boolean {
  return (labels?.[LABEL.component] === 'controller' || labels?.[LABEL.component] === 'service-mirror') && !!labels[LABEL.clusterName]
}

/**
 * One cluster's Linkerd multicluster state in six list calls, whatever the number of links: its
 * Links, mcfed's remote-access ServiceAccounts, ClusterRoles and bindings, the service-mirror
 * controller Deployments and the extension's Services (gateway, probes). The caller lists the
 * `linkerd` ConfigMaps and mcfed's Secrets once for every kind that needs them.
 */
export async function readLinkerd(client: KubeClient, spec: FederationSpec, cluster: string, sharedLists: Promise<{configMaps: readonly V1ConfigMap[]; ownedSecrets: readonly V1Secret[]}>): Promise<LinkerdRead> {
  const owner = ownerSelector(spec)
  const [shared, links, accounts, roles, bindings, deployments, services] = await Promise.all([
    sharedLists,
    client.listLinks(MULTICLUSTER_NAMESPACE),
    client.listServiceAccounts(MULTICLUSTER_NAMESPACE, owner),
    client.listClusterRoles(owner),
    client.listClusterRoleBindings(owner),
    client.listDeployments(CONTROLLER_SELECTOR),
    client.listServices(MULTICLUSTER_NAMESPACE, `${LABEL.extension}=multicluster`),
  ])
  const observed = observeLinks(cluster, spec, links ?? [], shared.ownedSecrets)
  const gateway = gatewayFacts(services)
  const resources = [...observed.resources, ...observeRemoteAccess(cluster, accounts, roles, bindings)]
  const diagnostics =
    spec.spec.linkerd.install === 'external'
      ? checkInstallation({
          cluster,
          install: spec.spec.linkerd.install,
          specVersion: spec.spec.linkerd.version,
          controlPlaneVersion: controlPlaneVersion(shared.configMaps),
          linkCrd: links !== undefined,
          gateway: {service: gateway !== undefined, deployment: deployments.some((d) => d.metadata?.labels?.[LABEL.component] === 'gateway')},
          wantsGateway: gatewayClusters(spec).has(cluster),
          consumed: validLinks(spec)
            .filter((l) => l.from === cluster)
            .map((l) => ({name: l.name, mode: l.mode})),
          liveLinks: (links ?? []).map((l) => l.metadata?.name ?? ''),
          controllers: deployments.filter((d) => isController(d.metadata?.labels)).map(
            (d): LiveController => ({
              namespace: d.metadata?.namespace ?? '',
              name: d.metadata?.name ?? '',
              link: d.metadata?.labels?.[LABEL.clusterName] ?? '',
              component: d.metadata?.labels?.[LABEL.component] ?? '',
            }),
          ),
        })
      : []
  return {
    resources,
    diagnostics,
    bindings: observed.bindings,
    facts: {apiServer: client.endpoint().server, linkCrd: links !== undefined, ...(gateway ? {gateway} : {})},
    serviceAccountUids: new Map(accounts.map((a) => [a.metadata?.name ?? '', a.metadata?.uid ?? ''])),
  }
}

/** The control plane's release, from `linkerd-config`'s values (`linkerdVersion`, else `cliVersion`). */
export function controlPlaneVersion(configMaps: readonly V1ConfigMap[]): string | undefined {
  const values = configMaps.find((c) => c.metadata?.name === LINKERD_CONFIG_MAP)?.data?.values
  if (values === undefined) return undefined
  return /^linkerdVersion:\s*(\S+)/m.exec(values)?.[1] ?? /^cliVersion:\s*(.+)$/m.exec(values)?.[1]?.trim() ?? 'unknown'
}
