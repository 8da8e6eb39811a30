import type {V1ConfigMap} from '@kubernetes/client-node'

import type {Diagnostic} from '../../../diagnostics/diagnostic.js'
import type {ClusterFacts} from '../../../graph/facts.js'
import {gatewayClusters, validLinks} from '../../../graph/topology.js'
import {LABEL, LINKERD_CONFIG_MAP} from '../../../linkerd/names.js'
import type {FederationSpec} from '../../../spec/types.js'
import type {ClusterListing} from '../listing.js'
import {checkInstallation, type LiveController} from './findings.js'
import {gatewayFacts} from './gateway.js'

export {CONTROLLER_SELECTOR} from '../listing.js'

/** Whether a Deployment is a service-mirror controller (it names the link it serves). */
export function isController(labels: Record<string, string> | undefined): boolean {
  return (labels?.[LABEL.component] === 'controller' || labels?.[LABEL.component] === 'service-mirror') && !!labels[LABEL.clusterName]
}

/**
 * What one cluster's Linkerd tells the plan beside its resources: facts the desired graph needs
 * (API server, Link CRD, gateway address) and, when someone else installs Linkerd, what plan
 * finds missing (a Link without its controller, a control plane of another release).
 */
export function clusterFindings(listing: ClusterListing, spec: FederationSpec): {facts: ClusterFacts; diagnostics: Diagnostic[]} {
  const {cluster, links, extension} = listing
  const gateway = gatewayFacts(extension.services)
  const diagnostics =
    spec.spec.linkerd.install === 'external'
      ? checkInstallation({
          cluster,
          install: spec.spec.linkerd.install,
          specVersion: spec.spec.linkerd.version,
          controlPlaneVersion: controlPlaneVersion(listing.linkerdConfigMaps),
          linkCrd: links !== undefined,
          gateway: {service: gateway !== undefined, deployment: extension.deployments.some((d) => d.metadata?.labels?.[LABEL.component] === 'gateway')},
          wantsGateway: gatewayClusters(spec).has(cluster),
          consumed: validLinks(spec)
            .filter((l) => l.from === cluster)
            .map((l) => ({name: l.name, mode: l.mode})),
          liveLinks: (links ?? []).map((l) => l.metadata?.name ?? ''),
          controllers: extension.deployments.filter((d) => isController(d.metadata?.labels)).map(
            (d): LiveController => ({
              namespace: d.metadata?.namespace ?? '',
              name: d.metadata?.name ?? '',
              link: d.metadata?.labels?.[LABEL.clusterName] ?? '',
              component: d.metadata?.labels?.[LABEL.component] ?? '',
            }),
          ),
        })
      : []
  return {facts: {apiServer: listing.client.endpoint().server, linkCrd: links !== undefined, ...(gateway ? {gateway} : {})}, diagnostics}
}

/** The control plane's release, from `linkerd-config`'s values (`linkerdVersion`, else `cliVersion`). */
export function controlPlaneVersion(configMaps: readonly V1ConfigMap[]): string | undefined {
  const values = configMaps.find((c) => c.metadata?.name === LINKERD_CONFIG_MAP)?.data?.values
  if (values === undefined) return undefined
  return /^linkerdVersion:\s*(\S+)/m.exec(values)?.[1] ?? /^cliVersion:\s*(.+)$/m.exec(values)?.[1]?.trim() ?? 'unknown'
}
