import {sha256, stableStringify} from '../../util/stable-json.js'
import {objectKey, RENDERED_DIGEST, type Component, type KubeObject} from './manifests.js'

/**
 * What decided a component's last render, kept in the cluster beside what it applied, so that a
 * plan of an unchanged estate need not run Linkerd's CLI at all: when the inputs of this plan's
 * render would be the recorded ones and every object is still as mcfed applied it, the render
 * would be the recorded one too.
 */
export interface RenderRecord {
  /** Digest of the inputs: the release, mcfed's render scheme, the values (key material as a fingerprint). */
  readonly inputs: string
  /** Per object key: the rendered digest it was applied with, and the digest of the fields mcfed's apply owns. */
  readonly objects: Readonly<Record<string, {readonly rendered: string; readonly fields: string}>>
  /** kind → apiVersion of the objects, for the lists that find them. */
  readonly apiVersions: Readonly<Record<string, string>>
}

/** The label the records carry (its value: the component), and where they live. */
export const RENDER_RECORD_LABEL = 'mcfed.io/render-record'
/** kube-system exists in every cluster before anything of Linkerd's: the CRDs' record needs a namespace too. */
export const RENDER_RECORD_NAMESPACE = 'kube-system'

export function renderRecordName(component: Component): string {
  return `mcfed-render-${component}`
}

/**
 * Bumped whenever mcfed changes what it adds to a render (inventory labels, digests, values it
 * pins): a record from an older scheme then no longer vouches for the render.
 */
const RENDER_SCHEME = 1

/** Keys of values that hold private key material: in the digest as a hash of the key, never the key. */
const KEY_FIELDS = new Set(['keyPEM'])

/**
 * The digest of everything a render depends on. The CLI's release stands for the CLI (mcfed
 * refuses a CLI of another release before it renders).
 */
export function renderInputsDigest(component: Component, release: string, values: Readonly<Record<string, unknown>> | undefined): string {
  return `sha256:${sha256(stableStringify({scheme: RENDER_SCHEME, component, release, values: values ? withoutKeys(values) : null}))}`
}

function withoutKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutKeys)
  if (!value || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, KEY_FIELDS.has(k) && typeof v === 'string' ? `sha256:${sha256(v)}` : withoutKeys(v)]))
}

interface ManagedFieldsEntry {
  readonly manager?: string
  readonly operation?: string
  readonly subresource?: string
  readonly apiVersion?: string
  readonly fieldsV1?: unknown
}

/**
 * The fields `manager`'s server-side apply owns on a live object, as a digest. Another writer's
 * change to one of them (kubectl edit, patch, a forced apply) takes that field's ownership and so
 * changes the digest, while what other managers own (a Deployment's revision annotation, the
 * restart stamp mcfed writes under its credentials manager, status) does not. Undefined when
 * `manager` applied nothing to it.
 */
export function appliedFieldsDigest(o: KubeObject, manager: string): string | undefined {
  const entries = ((o.metadata.managedFields ?? []) as ManagedFieldsEntry[]).filter((e) => e.manager === manager && e.operation === 'Apply' && !e.subresource)
  if (entries.length === 0) return undefined
  return `sha256:${sha256(stableStringify(entries.map((e) => ({apiVersion: e.apiVersion, fields: e.fieldsV1}))))}`
}

/** The record of a render just applied, from the objects as the cluster now holds them. */
export function recordOf(inputs: string, rendered: readonly KubeObject[], live: ReadonlyMap<string, KubeObject>, manager: string): RenderRecord | undefined {
  const objects: Record<string, {rendered: string; fields: string}> = {}
  for (const o of rendered) {
    const key = objectKey(o)
    const found = live.get(key)
    const fields = found ? appliedFieldsDigest(found, manager) : undefined
    const digest = found?.metadata.annotations?.[RENDERED_DIGEST]
    // An object that is not as applied (gone already, or applied by no one) cannot be vouched for: no record.
    if (!fields || !digest) return undefined
    objects[key] = {rendered: digest, fields}
  }
  return {inputs, objects, apiVersions: Object.fromEntries(rendered.map((o) => [o.kind, o.apiVersion]))}
}

/** Why a record was made from other inputs than this plan's; undefined when its inputs are this plan's. */
export function inputsMismatch(record: RenderRecord | undefined, inputs: string | undefined): string | undefined {
  if (!record) return 'no render record'
  if (!inputs) return 'the render inputs are known only after apply'
  if (record.inputs !== inputs) return 'the render inputs changed'
  return undefined
}

/** Why a record does not vouch for this plan's render; undefined when it does. */
export function recordMismatch(record: RenderRecord | undefined, inputs: string | undefined, applied: readonly KubeObject[], manager: string): string | undefined {
  const other = inputsMismatch(record, inputs)
  if (other || !record) return other
  const live = new Map(applied.map((o) => [objectKey(o), o]))
  for (const [key, want] of Object.entries(record.objects)) {
    const o = live.get(key)
    if (!o) return `${key} is gone`
    if (o.metadata.annotations?.[RENDERED_DIGEST] !== want.rendered || appliedFieldsDigest(o, manager) !== want.fields) return `${key} changed`
  }
  for (const key of live.keys()) if (!(key in record.objects)) return `${key} is not in the render`
  return undefined
}

/** The record as a ConfigMap's data (JSON, so a human can read it with kubectl). */
export function recordData(record: RenderRecord): Record<string, string> {
  return {inputs: record.inputs, objects: stableStringify(record.objects, 1), 'api-versions': stableStringify(record.apiVersions, 1)}
}

/** A record read back; undefined when the data is not one (hand-edited, or from another scheme). */
export function parseRecord(data: Readonly<Record<string, string>> | undefined): RenderRecord | undefined {
  if (!data?.inputs || !data.objects || !data['api-versions']) return undefined
  try {
    const objects = JSON.parse(data.objects) as RenderRecord['objects']
    const apiVersions = JSON.parse(data['api-versions']) as RenderRecord['apiVersions']
    const wellFormed = Object.values(objects).every((v) => typeof v?.rendered === 'string' && typeof v.fields === 'string')
    return wellFormed ? {inputs: data.inputs, objects, apiVersions} : undefined
  } catch {
    return undefined
  }
}
