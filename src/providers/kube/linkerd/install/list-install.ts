import type {V1Secret} from '@kubernetes/client-node'

import {ProviderError} from '../../../../diagnostics/errors.js'
import {log} from '../../../../log/logger.js'
import {COMPONENTS, COMPONENT_LABEL, RENDERED_DIGEST, kindsOf, type Component, type KubeObject} from '../../../../linkerd/install/manifests.js'
import {inputsMismatch, parseRecord, recordMismatch, renderInputsDigest, RENDER_RECORD_LABEL, RENDER_RECORD_NAMESPACE, type RenderRecord} from '../../../../linkerd/install/render-record.js'
import {controlPlaneSettings, multiclusterValues, renderValues, type Values} from '../../../../linkerd/install/values.js'
import {edgeRelease} from '../../../../linkerd/versions.js'
import type {FederationSpec} from '../../../../spec/types.js'
import type {KubeClient} from '../../client.js'
import {FIELD_MANAGER} from '../../errors.js'
import {ownerSelector} from '../../labels.js'
import {planCertificates, type PlanCertificates} from './certificates.js'
import {CliUnavailable, type ComponentRenderer} from './render.js'

/** What `install: mcfed` reads per cluster: this plan's renders where needed, the records, what mcfed applied. */
export interface InstallListing {
  readonly certificates: PlanCertificates
  /** This plan's render of each component that needed one; absent where the component's record vouches for what is live. */
  readonly renders: Readonly<Partial<Record<Component, readonly KubeObject[]>>>
  /** The render records read, by component. */
  readonly records: Readonly<Partial<Record<Component, RenderRecord>>>
  /** The digest of each component's render inputs in this plan; absent when known only after apply. */
  readonly inputs: Readonly<Partial<Record<Component, string>>>
  /** Objects carrying a component's inventory label; those of a vouched component reduced to what the plan reads. */
  readonly applied: readonly KubeObject[]
}

/**
 * Each component as the cluster holds it. Its render inputs (the release, the values, the live
 * issuer's and webhook CA's fingerprints) are computed without the CLI; where the component's
 * render record names the same inputs and every object it lists is still as mcfed applied it,
 * the record stands for the render and the CLI is not run. Anything else (no record, other
 * inputs, an object deleted or edited, an object the record lacks) renders as before. What
 * mcfed applied is found by the inventory label, one LIST per kind the records or renders name.
 * Throws CliUnavailable when a render is needed and no CLI of the release is usable.
 */
export async function listInstall(
  client: KubeClient,
  spec: FederationSpec,
  cluster: string,
  ownedSecrets: readonly V1Secret[],
  renderer: ComponentRenderer,
  anchorPem: string | undefined,
  ownerLists: ReadonlyMap<string, readonly KubeObject[]> = new Map(),
): Promise<InstallListing> {
  const owner = ownerSelector(spec)
  // mcfed's ConfigMaps in every namespace, once: the render records and the components' own.
  const [certificates, ownedConfigMaps] = await Promise.all([planCertificates(anchorPem, ownedSecrets), client.listConfigMaps(undefined, owner)])
  const prelisted = new Map([...ownerLists, ['v1 ConfigMap', ownedConfigMaps as unknown as KubeObject[]]])
  const records: Partial<Record<Component, RenderRecord>> = {}
  for (const cm of ownedConfigMaps) {
    if (cm.metadata?.namespace !== RENDER_RECORD_NAMESPACE) continue
    const component = cm.metadata?.labels?.[RENDER_RECORD_LABEL] as Component | undefined
    const record = component && COMPONENTS.includes(component) ? parseRecord(cm.data) : undefined
    if (record) records[component!] = record
  }
  const release = edgeRelease(spec.spec.linkerd.version) ?? spec.spec.linkerd.version
  const values: Record<Component, Values | undefined> = {crds: undefined, 'control-plane': renderValues(controlPlaneSettings(spec, cluster), certificates.certs, spec.spec.gitops !== undefined), multicluster: multiclusterValues(spec, cluster)}
  // Stand-in certificates are made afresh each run: a render with them is never the recorded one.
  const standIn = !certificates.issuerFingerprint || !certificates.webhookCaFingerprint
  const inputs: Partial<Record<Component, string>> = {}
  for (const c of COMPONENTS) if (c !== 'control-plane' || !standIn) inputs[c] = renderInputsDigest(c, release, values[c])

  const renders: Partial<Record<Component, readonly KubeObject[]>> = {}
  const renderedBecause: Partial<Record<Component, string>> = {}
  const render = async (components: readonly Component[]) => {
    try {
      const made = await Promise.all(components.map((c) => renderer.render(c, values[c])))
      components.forEach((c, i) => (renders[c] = made[i]!))
    } catch (e) {
      if (e instanceof CliUnavailable) throw e
      // Not the cluster's fault: the CLI refused or failed. Say so rather than call the cluster unreachable.
      throw new ProviderError(`rendering Linkerd for ${cluster} failed: ${(e as Error).message}`, {hint: `check that ${await renderer.cliPath().catch(() => 'the linkerd CLI')} is the linkerd CLI of spec.linkerd.version`})
    }
  }
  // A component whose record names other inputs renders while its objects are listed.
  const stale = COMPONENTS.filter((c) => {
    const why = inputsMismatch(records[c], inputs[c])
    if (why) renderedBecause[c] = why
    return why !== undefined
  })

  // A component the plan renders is diffed whole: its objects are listed in full. One its record
  // vouches for is checked by digests and field owners: its objects' metadata is enough.
  const full = kindLists(client, `${owner},${COMPONENT_LABEL}`, false, prelisted)
  const metadata = kindLists(client, `${owner},${COMPONENT_LABEL}`, true, prelisted)
  const recordedKinds = (cs: readonly Component[]) => cs.flatMap((c) => Object.entries(records[c]?.apiVersions ?? {}).map(([kind, apiVersion]) => ({apiVersion, kind})))
  const vouching = COMPONENTS.filter((c) => !stale.includes(c))
  await Promise.all([render(stale), full.list(recordedKinds(stale)), metadata.list(recordedKinds(vouching))])
  await full.list(kindsOf(stale.flatMap((c) => renders[c] ?? [])))

  // A record whose inputs match still vouches only for objects exactly as it lists them.
  const doubted = vouching.flatMap((c) => {
    const why = recordMismatch(records[c], inputs[c], metadata.of(c), FIELD_MANAGER)
    if (why) renderedBecause[c] = why
    return why ? [c] : []
  })
  if (doubted.length > 0) {
    await Promise.all([render(doubted), full.list(recordedKinds(doubted))])
    await full.list(kindsOf(doubted.flatMap((c) => renders[c] ?? [])))
  }
  for (const c of COMPONENTS) log('debug', `${cluster}: ${c} ${renders[c] ? `rendered with the linkerd CLI (${renderedBecause[c]})` : 'not rendered: its render record vouches for the live objects'}`)
  const applied = COMPONENTS.flatMap((c) => (renders[c] ? full.of(c) : metadata.of(c).map(reduced)))
  return {certificates, renders, records, inputs, applied}
}

/** What a plan reads of an object its record vouches for: identity, inventory, the digests and release stamps. */
function reduced(o: KubeObject): KubeObject {
  const a = o.metadata.annotations ?? {}
  const keep = [RENDERED_DIGEST, 'linkerd.io/created-by']
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: {
      name: o.metadata.name,
      ...(o.metadata.namespace ? {namespace: o.metadata.namespace} : {}),
      labels: {[COMPONENT_LABEL]: o.metadata.labels?.[COMPONENT_LABEL] ?? ''},
      annotations: Object.fromEntries(keep.filter((k) => a[k] !== undefined).map((k) => [k, a[k]!])),
    },
  }
}

/**
 * One LIST per kind, each kind listed once however many components ask; objects found by component.
 * A kind in `prelisted` (listed in every namespace under the owner selector) is not asked again:
 * its objects with a component label are the same answer, in full.
 */
function kindLists(client: KubeClient, selector: string, metadataOnly: boolean, prelisted: ReadonlyMap<string, readonly KubeObject[]>) {
  const listed = new Map<string, KubeObject[]>()
  return {
    async list(kinds: readonly {apiVersion: string; kind: string}[]): Promise<void> {
      const missing = [...new Map(kinds.map((k) => [`${k.apiVersion} ${k.kind}`, k])).entries()].filter(([key]) => !listed.has(key))
      for (const [key] of missing) {
        const known = prelisted.get(key)
        if (known) listed.set(key, known.filter((o) => o.metadata.labels?.[COMPONENT_LABEL] !== undefined))
      }
      const todo = missing.filter(([key]) => !listed.has(key))
      const lists = await Promise.all(todo.map(([, k]) => (metadataOnly ? client.listMetadata(k.apiVersion, k.kind, selector) : client.listObjects(k.apiVersion, k.kind, selector))))
      todo.forEach(([key], i) => listed.set(key, (lists[i] ?? []) as unknown as KubeObject[]))
    },
    of: (c: Component): KubeObject[] => [...listed.values()].flat().filter((o) => o.metadata.labels?.[COMPONENT_LABEL] === c),
  }
}
