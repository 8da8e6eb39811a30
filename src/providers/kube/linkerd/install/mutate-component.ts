import {ProviderError} from '../../../../diagnostics/errors.js'
import type {Component, KubeObject} from '../../../../linkerd/install/manifests.js'
import {COMPONENT_LABEL, kindsOf, objectDigest, objectKey, withInventory} from '../../../../linkerd/install/manifests.js'
import {recordData, recordOf, renderInputsDigest, renderRecordName, RENDER_RECORD_LABEL, RENDER_RECORD_NAMESPACE} from '../../../../linkerd/install/render-record.js'
import {FIELD_MANAGER} from '../../errors.js'
import {renderValues, type ControlPlaneCertificates, type Values} from '../../../../linkerd/install/values.js'
import type {ResourceChange} from '../../../../plan/types.js'
import type {Mutation} from '../../../../model/kind-schema.js'
import type {KubeClient} from '../../client.js'
import {ownerSelectorOf} from '../../labels.js'
import type {KubeMutationContext} from '../../../../kinds/kube/kube-kind.js'
import {LINKERD_NAMESPACE} from '../../../../linkerd/names.js'
import {liveIssuer} from './certificates.js'
import {trustRootsPem} from '../../../../kinds/kube/trust-anchor.js'
import {webhookCaPem} from './webhook-tls.js'
import {COMPONENT_KINDS} from './read-components.js'
import type {ComponentRenderer} from './render.js'

export interface ComponentContext {
  readonly client: KubeClient
  readonly owner: Readonly<Record<string, string>>
  /** Undefined when no usable linkerd CLI was found. */
  readonly renderer: ComponentRenderer | undefined
  /** The control plane's certificates at apply time, key material included (never from the plan). */
  readonly certificates: () => Promise<ControlPlaneCertificates>
  /** GitOps mode: the issuer is a Secret the store's ExternalSecret makes, not part of the render. */
  readonly issuerFromStore?: boolean
  readonly signal?: AbortSignal
}

/** A component step's context: the control plane's certificates come through the secrets port and the cluster. */
export function componentContext(ctx: KubeMutationContext, change: ResourceChange): ComponentContext {
  const trustAnchors = (change.after?.trust_anchors ?? []) as string[]
  return {client: ctx.client, owner: ctx.owner, renderer: ctx.renderer, signal: ctx.signal, issuerFromStore: ctx.store !== undefined, certificates: () => controlPlaneCertificates(ctx, change.cluster, trustAnchors)}
}

/**
 * The control plane's certificates at apply time: the trust roots the plan named (both anchors
 * mid-rotation), an issuer issued in this run, else the live one; the live webhook CA.
 */
async function controlPlaneCertificates(ctx: KubeMutationContext, cluster: string, trustAnchors: readonly string[]): Promise<ControlPlaneCertificates> {
  const secrets = await ctx.client.listSecrets(LINKERD_NAMESPACE, ownerSelectorOf(ctx.owner))
  const issuer = ctx.issued.get(cluster) ?? liveIssuer(secrets)
  const webhookCa = webhookCaPem(secrets)
  if (!issuer || !webhookCa) {
    throw new ProviderError(`the control plane of ${cluster} cannot be rendered: its ${issuer ? 'webhook certificates are' : 'issuer is'} missing`, {
      hint: 'apply the whole plan (not a --target subset) so the issuer and webhook certificates are issued first',
    })
  }
  return {anchorPem: await trustRootsPem(ctx.client, ctx.secrets, trustAnchors), issuerCertPem: issuer.certPem, issuerKeyPem: issuer.keyPem, webhookCaPem: webhookCa}
}

/**
 * Kinds whose deletion finishes later (a Namespace empties itself, a CRD removes its objects
 * first). Like `kubectl delete`, destroy waits for them: a namespace still terminating would make
 * the next install fail.
 */
const FINALIZED_KINDS: ReadonlySet<string> = new Set(['Namespace', 'CustomResourceDefinition'])
const GONE_TIMEOUT_MS = 5 * 60_000

/** How long apply waits for a new CRD to be served before anything uses it. */
const ESTABLISHED_TIMEOUT_MS = 60_000

/**
 * Applies a component from the plan: re-renders it (deterministic, so the render is the plan's
 * unless the estate moved), server-side applies every object whose digest differs from what the
 * plan read, and prunes what the plan read that the render no longer contains. Only objects that
 * carry this component's inventory label were read, so nothing mcfed did not apply is ever pruned.
 */
export async function mutateComponent(ctx: ComponentContext, mutation: Mutation, change: ResourceChange): Promise<void> {
  const component = componentOf(change)
  const before = objectMap(change.before)
  const apiVersions = (change.before?.api_versions ?? {}) as Record<string, string>
  if (mutation === 'delete') {
    // The record first: were the delete to stop half-way, no record may vouch for what is left.
    await ctx.client.deleteRendered(recordRef(component))
    const keys = Object.keys(before).reverse()
    for (const key of keys) await ctx.client.deleteRendered(refOf(key, apiVersions))
    await waitGone(ctx, keys.map((k) => refOf(k, apiVersions)).filter((o) => FINALIZED_KINDS.has(o.kind)))
    return
  }
  if (!ctx.renderer) throw new ProviderError(`${change.address} cannot be rendered: no usable linkerd CLI`, {resource: change.address, hint: 'put the linkerd CLI of spec.linkerd.version on PATH, or pass --linkerd-cli'})
  const {rendered, values} = await render(ctx, component, change)
  const owner = ctx.owner
  for (const o of rendered) {
    ctx.signal?.throwIfAborted()
    if (before[objectKey(o)] === objectDigest(o)) continue
    await ctx.client.applyRendered(withInventory(o, owner, component))
  }
  await waitEstablished(ctx, rendered.filter((o) => o.kind === 'CustomResourceDefinition'))
  const renderedKeys = new Set(rendered.map(objectKey))
  for (const key of Object.keys(before).reverse()) if (!renderedKeys.has(key)) await ctx.client.deleteRendered(refOf(key, apiVersions))
  await writeRecord(ctx, component, renderInputsDigest(component, String(change.after?.version ?? ''), values), rendered)
}

/**
 * What the next plan reads instead of rendering: the inputs of this render and the objects as the
 * cluster now holds them (read back, so each digest is of the fields mcfed's apply owns there).
 */
async function writeRecord(ctx: ComponentContext, component: Component, inputs: string, rendered: readonly KubeObject[]): Promise<void> {
  const selector = `${ownerSelectorOf(ctx.owner)},${COMPONENT_LABEL}=${component}`
  const lists = await Promise.all(kindsOf(rendered).map((k) => ctx.client.listObjects(k.apiVersion, k.kind, selector)))
  const live = new Map((lists.flatMap((l) => l ?? []) as unknown as KubeObject[]).map((o) => [objectKey(o), o]))
  const record = recordOf(inputs, rendered, live, FIELD_MANAGER)
  if (!record) return ctx.client.deleteRendered(recordRef(component))
  const {name, namespace} = recordRef(component).metadata
  await ctx.client.applyRendered({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, namespace, labels: {...ctx.owner, [RENDER_RECORD_LABEL]: component}}, data: recordData(record)} as KubeObject)
}

function recordRef(component: Component): KubeObject {
  return {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: renderRecordName(component), namespace: RENDER_RECORD_NAMESPACE}}
}

function componentOf(change: ResourceChange): Component {
  const found = (Object.entries(COMPONENT_KINDS) as [Component, string][]).find(([, kind]) => kind === change.kind)
  if (!found) throw new Error(`${change.kind} is not a rendered component`)
  return found[0]
}

/** Renders from the plan's values; the control plane's certificates join them only now. */
async function render(ctx: ComponentContext, component: Component, change: ResourceChange): Promise<{rendered: readonly KubeObject[]; values: Values | undefined}> {
  const planned = (change.after?.values ?? {}) as Values
  const values = component === 'crds' ? undefined : component === 'multicluster' ? planned : renderValues(planned, await ctx.certificates(), ctx.issuerFromStore === true)
  return {rendered: await ctx.renderer!.render(component, values), values}
}

function objectMap(attrs: ResourceChange['before']): Record<string, string> {
  return ((attrs?.objects ?? {}) as Record<string, string>) ?? {}
}

/** `Deployment linkerd/linkerd-destination` back into what a delete needs. */
export function refOf(key: string, apiVersions: Readonly<Record<string, string>>): KubeObject {
  const [kind, rest] = [key.slice(0, key.indexOf(' ')), key.slice(key.indexOf(' ') + 1)]
  const [namespace, name] = rest.includes('/') ? rest.split('/') : [undefined, rest]
  return {apiVersion: apiVersions[kind] ?? 'v1', kind, metadata: {name: name!, ...(namespace ? {namespace} : {})}}
}

async function waitGone(ctx: ComponentContext, objects: readonly KubeObject[]): Promise<void> {
  const deadline = Date.now() + GONE_TIMEOUT_MS
  for (const o of objects) {
    while (await ctx.client.readObject(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace)) {
      if (Date.now() > deadline) throw new ProviderError(`${o.kind} ${o.metadata.name} is still being deleted after ${GONE_TIMEOUT_MS / 60_000} minutes`, {hint: 'look for objects with finalizers that hold it; destroy again to resume'})
      ctx.signal?.throwIfAborted()
      await new Promise((r) => setTimeout(r, 250))
    }
  }
}

async function waitEstablished(ctx: ComponentContext, crds: readonly KubeObject[]): Promise<void> {
  const deadline = Date.now() + ESTABLISHED_TIMEOUT_MS
  for (const crd of crds) {
    for (;;) {
      const live = (await ctx.client.readObject(crd.apiVersion, crd.kind, crd.metadata.name)) as {status?: {conditions?: {type: string; status: string}[]}} | undefined
      if (live?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break
      if (Date.now() > deadline) throw new ProviderError(`CRD ${crd.metadata.name} was not established within ${ESTABLISHED_TIMEOUT_MS / 1000}s`, {hint: 'check the API server; apply again to resume'})
      ctx.signal?.throwIfAborted()
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}
