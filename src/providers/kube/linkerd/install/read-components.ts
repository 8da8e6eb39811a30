import type {KubernetesObject} from '@kubernetes/client-node'

import type {InstallFacts, RenderFacts} from '../../../../graph/facts.js'
import {address, type Attributes, type ObservedResource, type ResourceKind} from '../../../../graph/resource.js'
import {COMPONENT_LABEL, RENDERED_DIGEST, kindsOf, objectDigest, objectKey, withInventory, type Component, type KubeObject} from '../../../../linkerd/install/manifests.js'
import {diffObjects} from '../../../../linkerd/install/object-diff.js'
import {LINKERD_NAMESPACE, MULTICLUSTER_NAMESPACE} from '../../../../linkerd/names.js'
import type {FederationSpec} from '../../../../spec/types.js'
import type {KubeClient} from '../../client.js'
import {ownerLabels, ownerSelector} from '../../labels.js'

export const COMPONENT_KINDS: Readonly<Record<Component, ResourceKind>> = {
  crds: 'linkerd_crds',
  'control-plane': 'linkerd_control_plane',
  multicluster: 'linkerd_multicluster',
}

export interface ComponentRenders {
  readonly crds: readonly KubeObject[]
  readonly 'control-plane': readonly KubeObject[]
  readonly multicluster: readonly KubeObject[]
}

/** Live facts the control-plane component reports beside its objects. */
export interface ControlPlaneLive {
  readonly issuerFingerprint?: string
  readonly webhookCaFingerprint?: string
}

/**
 * Reads what mcfed applied of each component (one LIST per kind the renders contain, found by the
 * inventory label, never by name) and compares it with this plan's renders, object by object.
 */
export async function readComponents(
  client: KubeClient,
  spec: FederationSpec,
  cluster: string,
  renders: ComponentRenders,
  live: ControlPlaneLive,
): Promise<{resources: ObservedResource[]; facts: InstallFacts}> {
  const all = (Object.keys(COMPONENT_KINDS) as Component[]).flatMap((c) => renders[c])
  const selector = `${ownerSelector(spec)},${COMPONENT_LABEL}`
  const lists = await Promise.all(kindsOf(all).map((k) => client.listObjects(k.apiVersion, k.kind, selector)))
  const applied = lists.flatMap((l) => l ?? []) as unknown as KubeObject[]
  const owner = ownerLabels(spec)
  const resources: ObservedResource[] = []
  const facts: Record<string, RenderFacts> = {}
  for (const component of Object.keys(COMPONENT_KINDS) as Component[]) {
    const rendered = renders[component]
    const mine = applied.filter((o) => o.metadata.labels?.[COMPONENT_LABEL] === component)
    facts[component] = renderFacts(rendered)
    if (mine.length === 0) continue
    const applying = rendered.map((o) => withInventory(o, owner, component))
    const local = diffObjects(applying, mine)
    // A local difference may only be the server's normalisation: ask the server what it would store.
    const disputed = new Set(local.filter((c) => c.action === 'update').map((c) => c.object))
    const server = new Map(
      await Promise.all(applying.filter((o) => disputed.has(objectKey(o))).map(async (o) => [objectKey(o), (await client.dryRunApply(o)) as unknown as KubeObject] as const)),
    )
    const changes = server.size > 0 ? diffObjects(applying, mine, server) : local
    const drifted = new Set(changes.filter((c) => c.action === 'update').map((c) => c.object))
    resources.push({
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
    })
  }
  return {resources, facts: {crds: facts.crds, controlPlane: facts['control-plane'], multicluster: facts.multicluster}}
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
    return {namespace: LINKERD_NAMESPACE, issuer_certificate: cp.issuerFingerprint ?? null, webhook_ca: cp.webhookCaFingerprint ?? null}
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
