import type {Diagnostic} from '../../../diagnostics/diagnostic.js'
import {address} from '../../../graph/resource.js'
import {GATEWAY_SERVICE, LINK_CRD, MULTICLUSTER_NAMESPACE, controllerName} from '../../../linkerd/names.js'
import {describeVersion, sameRelease} from '../../../linkerd/versions.js'
import type {LinkerdInstall} from '../../../spec/types.js'

/** A service-mirror controller Deployment as the live cluster has it. */
export interface LiveController {
  readonly namespace: string
  readonly name: string
  readonly link: string
  /** `controller` (chart-managed, 2.18+) or `service-mirror` (legacy `linkerd multicluster link`). */
  readonly component: string
}

/** What one cluster's Linkerd installation looks like, as far as the plan checks it. */
export interface LinkerdInstallation {
  readonly cluster: string
  readonly install: LinkerdInstall
  readonly specVersion: string
  /** The control plane's version (`linkerd-config`), or undefined when no control plane was found. */
  readonly controlPlaneVersion?: string
  readonly linkCrd: boolean
  /** Which parts of the multicluster gateway exist. */
  readonly gateway: {readonly service: boolean; readonly deployment: boolean}
  readonly wantsGateway: boolean
  /** Links this cluster consumes per the spec, with their mode. */
  readonly consumed: readonly {readonly name: string; readonly mode: 'flat' | 'gateway'}[]
  /** Names of every Link in the cluster, mcfed's or not. */
  readonly liveLinks: readonly string[]
  readonly controllers: readonly LiveController[]
}

/**
 * Checks that plan reports about an installation it reads: the Link CRD, the control-plane
 * version, the gateway, and one service-mirror controller per consumed Link. A Link without its
 * controller mirrors nothing while `linkerd multicluster check`-style readiness stays green, so
 * that is drift (exit 2), reported with the fix in the installer's terms.
 */
export function checkInstallation(i: LinkerdInstallation): Diagnostic[] {
  const out: Diagnostic[] = []
  const external = i.install === 'external'
  const installer = external ? 'your installer (Helm, Argo CD, Flux)' : 'the multicluster extension'
  const finding = (rule: string, message: string, hint: string, addresses: string[] = [], severity: 'warning' | 'error' = 'warning'): void => {
    out.push({severity, rule, message, locations: [], hint, addresses, drift: true})
  }
  if (i.controlPlaneVersion === undefined) {
    finding('linkerd/control-plane-missing', `no Linkerd control plane in ${i.cluster} (no linkerd/linkerd-config)`, external ? `install Linkerd ${describeVersion(i.specVersion)} with ${installer}` : `install Linkerd ${describeVersion(i.specVersion)} in ${i.cluster}`)
  } else if (!sameRelease(i.specVersion, i.controlPlaneVersion)) {
    finding('linkerd/version-mismatch', `the Linkerd control plane in ${i.cluster} runs ${i.controlPlaneVersion}, the spec asks for ${describeVersion(i.specVersion)}`, external ? `upgrade it with ${installer}, or set spec.linkerd.version to what runs` : `upgrade the control plane in ${i.cluster}, or set spec.linkerd.version to what runs`)
  }
  if (!i.linkCrd) {
    finding(
      'linkerd/link-crd-missing',
      `the multicluster extension is not installed in ${i.cluster} (no Link CRD ${LINK_CRD}): the Links it consumes and the links into it are left out of this plan`,
      `install the Linkerd multicluster extension in ${i.cluster} with ${installer} (it ships the Link CRD), then plan again`,
      i.consumed.map((l) => address('linkerd_link', `${i.cluster}/${l.name}`)),
    )
  }
  const missingParts = [...(i.gateway.service ? [] : ['Service']), ...(i.gateway.deployment ? [] : ['Deployment'])]
  if (i.wantsGateway && missingParts.length > 0) {
    finding('linkerd/gateway-missing', `${i.cluster} exports a gateway-mode service but its multicluster gateway (${MULTICLUSTER_NAMESPACE}/${GATEWAY_SERVICE}) has no ${missingParts.join(' and no ')}`, `set gateway.enabled: true in the multicluster values of ${i.cluster}`)
  } else if (!i.wantsGateway && (i.gateway.service || i.gateway.deployment)) {
    finding('linkerd/gateway-unexpected', `${i.cluster} runs a multicluster gateway but exports no gateway-mode service`, `set gateway.enabled: false in the multicluster values of ${i.cluster}, or leave it if something outside the spec uses it`)
  }
  const byLink = new Map<string, LiveController[]>()
  for (const c of i.controllers) byLink.set(c.link, [...(byLink.get(c.link) ?? []), c])
  for (const link of i.consumed) {
    const controllers = byLink.get(link.name) ?? []
    const addr = address('linkerd_link', `${i.cluster}/${link.name}`)
    if (controllers.length === 0) {
      finding(
        'linkerd/missing-controller',
        `Link ${link.name} in ${i.cluster} has no service-mirror controller: nothing will be mirrored`,
        `add to the multicluster values of ${i.cluster}: controllers: [{link: {ref: {name: ${link.name}}}${link.mode === 'flat' ? ', gateway: {enabled: false}' : ''}}] (Helm: --set controllers[N].link.ref.name=${link.name}${link.mode === 'flat' ? ' --set controllers[N].gateway.enabled=false' : ''})${external ? ', then upgrade the release; mcfed cannot fix this with install: external' : ''}`,
        [addr],
      )
      continue
    }
    if (controllers.length > 1) {
      finding('linkerd/duplicate-controller', `Link ${link.name} in ${i.cluster} has ${controllers.length} service-mirror controllers (${controllers.map((c) => `${c.namespace}/${c.name}`).join(', ')}): only the holder of Lease service-mirror-write-${link.name} acts`, `keep ${controllerName(link.name)}; remove the others (legacy ones with \`linkerd multicluster unlink --cluster-name ${link.name} --only-controller\`)`, [addr])
    }
    for (const legacy of controllers.filter((c) => c.component === 'service-mirror')) {
      finding('linkerd/legacy-controller', `${legacy.namespace}/${legacy.name} in ${i.cluster} is a legacy service-mirror controller for Link ${link.name}`, `add a controllers[] entry for ${link.name} to the multicluster values, then remove the legacy one with \`linkerd multicluster unlink --cluster-name ${link.name} --only-controller | kubectl delete -f -\``, [addr])
    }
  }
  const known = new Set([...i.consumed.map((l) => l.name), ...i.liveLinks])
  for (const [link, controllers] of byLink) {
    if (known.has(link)) continue
    for (const c of controllers) {
      finding('linkerd/orphan-controller', `${c.namespace}/${c.name} in ${i.cluster} serves Link ${link}, which neither exists nor is in the spec`, `remove the controllers[] entry for ${link} from the multicluster values of ${i.cluster}`)
    }
  }
  return out
}
