import type {KubernetesObject} from '@kubernetes/client-node'

import type {InstallFacts, RenderFacts} from '../../../../graph/facts.js'
import {address, type Attributes, type ObservedResource, type ResourceKind} from '../../../../graph/resource.js'
import {COMPONENT_LABEL, RENDERED_DIGEST, objectDigest, objectKey, withInventory, type Component, type KubeObject} from '../../../../linkerd/install/manifests.js'
import {diffObjects} from '../../../../linkerd/install/object-diff.js'
import {renderRecordName, RENDER_RECORD_NAMESPACE} from '../../../../linkerd/install/render-record.js'
import type {ObjectChange} from '../../../../plan/types.js'
import {LINKERD_NAMESPACE, MULTICLUSTER_NAMESPACE} from '../../../../linkerd/names.js'
import type {Observation} from '../../../../kinds/kind.js'
import type {ClusterListing} from '../../listing.js'
import {certificateFingerprint} from '../../../certs/fingerprint.js'
import {liveTrustRoots} from '../read-trust.js'
import type {InstallListing} from './list-install.js'

export const COMPONENT_KINDS: Readonly<Record<Component, ResourceKind>> = {
  crds: 'linkerd_crds',
  'control-plane': 'linkerd_control_plane',
  multicluster: 'linkerd_multicluster',
}

/** Live facts the control-plane component reports beside its objects. */
export interface ControlPlaneLive {
  readonly issuerFingerprint?: string
  readonly webhookCaFingerprint?: string
  /** The anchors in the trust roots its render applied. */
  readonly trustAnchors: readonly string[]
}

/**
 * One component as the cluster holds it: what mcfed applied of it (found by the inventory label,
 * never by name), compared with this plan's render object by object. A local difference may only
 * be the server's normalisation, so the server is asked what it would store (a dry run). Where
 * the component's render record vouched for the live objects there is no render to compare: the
 * objects are as applied from the inputs this plan would render with.
 */
export async function observeComponent(component: Component, listing: ClusterListing, owner: Readonly<Record<string, string>>, records = true): Promise<Observation> {
  const install = listing.install
  const mine = install?.applied.filter((o) => o.metadata.labels?.[COMPONENT_LABEL] === component) ?? []
  if (!install || mine.length === 0) return {resources: [], diagnostics: []}
  const {cluster, client} = listing
  const rendered = install.renders[component]
  const changes = rendered ? [...(await renderChanges(rendered.map((o) => withInventory(o, owner, component)), mine, client)), ...(records ? recordChange(component, install) : [])] : []
  const drifted = new Set(changes.filter((c) => c.action === 'update').map((c) => c.object))
  const live = {issuerFingerprint: install.certificates.issuerFingerprint, webhookCaFingerprint: install.certificates.webhookCaFingerprint, trustAnchors: liveTrustRoots(listing.linkerdConfigMaps).map(certificateFingerprint)}
  const resource: ObservedResource = {
    address: address(COMPONENT_KINDS[component], cluster),
    kind: COMPONENT_KINDS[component],
    name: cluster,
    cluster,
    owned: true,
    attributes: {
      version: liveVersion(mine),
      ...componentAttributes(component, mine, live),
      objects: Object.fromEntries(mine.map((o) => [objectKey(o), drifted.has(objectKey(o)) ? 'drifted' : (o.metadata.annotations?.[RENDERED_DIGEST] ?? 'unknown')])),
      api_versions: Object.fromEntries(mine.map((o) => [o.kind, o.apiVersion])),
    },
    objectChanges: changes,
    // What a destroy must remove first: the extension before the control plane before the CRDs.
    dependsOn: componentDependencies(component, cluster),
  }
  return {resources: [resource], diagnostics: []}
}

/**
 * The render record is one more object of the component: where it names other inputs than this
 * plan's (or is missing, as after an upgrade of mcfed), apply writes it even if no other object
 * changes, so that the next plan need not render.
 */
function recordChange(component: Component, install: InstallListing): ObjectChange[] {
  const want = install.inputs[component]
  const had = install.records[component]?.inputs
  if (!want || want === had) return []
  const object = `ConfigMap ${RENDER_RECORD_NAMESPACE}/${renderRecordName(component)}`
  return [had ? {action: 'update', object, changes: [{path: 'data.inputs', before: had, after: want}]} : {action: 'create', object}]
}

async function renderChanges(applying: readonly KubeObject[], mine: readonly KubeObject[], client: ClusterListing['client']) {
  const local = diffObjects(applying, mine)
  const disputed = new Set(local.filter((c) => c.action === 'update').map((c) => c.object))
  const server = new Map(
    await Promise.all(applying.filter((o) => disputed.has(objectKey(o))).map(async (o) => [objectKey(o), (await client.dryRunApply(o)) as unknown as KubeObject] as const)),
  )
  return server.size > 0 ? diffObjects(applying, mine, server) : local
}

/**
 * What the desired graph learns from this plan's renders (or the records that stand for them):
 * each component's objects and the certificates the render carries.
 */
export function installFacts(install: InstallListing): InstallFacts {
  const facts = (c: Component): RenderFacts | undefined => {
    const rendered = install.renders[c]
    const record = install.records[c]
    if (rendered) return renderFacts(rendered)
    return record && {objects: Object.fromEntries(Object.entries(record.objects).map(([k, v]) => [k, v.rendered])), apiVersions: record.apiVersions}
  }
  return {
    crds: facts('crds'),
    controlPlane: facts('control-plane'),
    multicluster: facts('multicluster'),
    issuerCertificate: install.certificates.issuerFingerprint,
    webhookCa: install.certificates.webhookCaFingerprint,
  }
}

function componentDependencies(component: Component, cluster: string): string[] {
  if (component === 'control-plane') return [address('linkerd_crds', cluster), address('linkerd_webhook_tls', cluster), address('linkerd_issuer', cluster)]
  if (component === 'multicluster') return [address('linkerd_control_plane', cluster)]
  return []
}

export function renderFacts(rendered: readonly KubeObject[]): RenderFacts {
  return {
    objects: Object.fromEntries(rendered.map((o) => [objectKey(o), objectDigest(o)])),
    apiVersions: Object.fromEntries(rendered.map((o) => [o.kind, o.apiVersion])),
  }
}

function componentAttributes(component: Component, live: readonly KubeObject[], cp: ControlPlaneLive): Attributes {
  if (component === 'control-plane') {
    return {namespace: LINKERD_NAMESPACE, trust_anchors: [...cp.trustAnchors], issuer_certificate: cp.issuerFingerprint ?? null, webhook_ca: cp.webhookCaFingerprint ?? null}
  }
  if (component === 'multicluster') {
    const deployments = live.filter((o) => o.kind === 'Deployment' && o.metadata.namespace === MULTICLUSTER_NAMESPACE).map((o) => o.metadata.name)
    return {
      namespace: MULTICLUSTER_NAMESPACE,
      gateway: deployments.includes('linkerd-gateway'),
      controllers: deployments
        .filter((n) => n.startsWith('controller-'))
        .map((n) => n.slice('controller-'.length))
        .sort(),
    }
  }
  return {}
}

/** The release that rendered what is live, from the CLI's `linkerd.io/created-by` stamp (the most common one). */
function liveVersion(objects: readonly KubernetesObject[]): string | null {
  const counts = new Map<string, number>()
  for (const o of objects) {
    const v = /edge-\d+\.\d+\.\d+|stable-[\w.]+/.exec(o.metadata?.annotations?.['linkerd.io/created-by'] ?? '')?.[0]
    if (v) counts.set(v, (counts.get(v) ?? 0) + 1)
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null
}
