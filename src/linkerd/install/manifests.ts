import jsyaml from 'js-yaml'

import type {Json} from '../../graph/resource.js'
import {sha256, stableStringify} from '../../util/stable-json.js'

/** A Kubernetes object as a render or the API gives it: plain JSON. */
export interface KubeObject {
  readonly apiVersion: string
  readonly kind: string
  readonly metadata: {readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string>; readonly [k: string]: Json | undefined}
  readonly [field: string]: Json | undefined | KubeObject['metadata']
}

/** The components mcfed installs, in the order they apply. */
export const COMPONENTS = ['crds', 'control-plane', 'multicluster'] as const
export type Component = (typeof COMPONENTS)[number]

/** The inventory label: which component applied an object. Pruning finds objects by it, never by name. */
export const COMPONENT_LABEL = 'mcfed.io/component'
/** The digest of the render an object came from: tells a render that dropped a field from an unchanged one. */
export const RENDERED_DIGEST = 'mcfed.io/rendered-digest'

/** `Deployment linkerd/linkerd-destination`, `CustomResourceDefinition links.multicluster.linkerd.io`. */
export function objectKey(o: Pick<KubeObject, 'kind' | 'metadata'>): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`
}

/**
 * The objects of a multi-document render, in its order; empty documents (the CLI prints some)
 * dropped. js-yaml with YAML 1.2's core schema: what the `yaml` package reads too, about ten times
 * faster on a control plane's half megabyte of CRDs, which every plan parses.
 */
export function parseManifests(text: string): KubeObject[] {
  const out: KubeObject[] = []
  let docs: unknown[]
  try {
    docs = jsyaml.loadAll(text, undefined, {schema: jsyaml.CORE_SCHEMA})
  } catch (e) {
    throw new Error(`the linkerd CLI printed YAML that does not parse: ${(e as Error).message.split('\n')[0]}`)
  }
  for (const doc of docs) {
    const o = doc as KubeObject | null
    if (!o || typeof o !== 'object') continue
    if (!o.kind || !o.apiVersion || !o.metadata?.name) throw new Error(`the linkerd CLI printed an object without kind, apiVersion or name: ${JSON.stringify(o).slice(0, 120)}`)
    out.push(o)
  }
  return out
}

/**
 * The object as mcfed applies it: the render plus mcfed's ownership and inventory labels and the
 * digest of the rendered object (taken before the labels, so it names the CLI's output alone).
 */
export function withInventory(o: KubeObject, owner: Readonly<Record<string, string>>, component: Component): KubeObject {
  return {
    ...o,
    metadata: {
      ...o.metadata,
      labels: {...(o.metadata.labels ?? {}), ...owner, [COMPONENT_LABEL]: component},
      annotations: {...(o.metadata.annotations ?? {}), [RENDERED_DIGEST]: objectDigest(o)},
    },
  }
}

/** Digests of rendered objects, kept while the render is: the CRDs alone are half a megabyte to hash. */
const digests = new WeakMap<object, string>()

export function objectDigest(o: object): string {
  let digest = digests.get(o)
  if (!digest) {
    digest = `sha256:${sha256(stableStringify(o)).slice(0, 32)}`
    digests.set(o, digest)
  }
  return digest
}

/** `group/version Kind` pairs to list, each once. */
export function kindsOf(objects: readonly KubeObject[]): {apiVersion: string; kind: string}[] {
  const seen = new Map<string, {apiVersion: string; kind: string}>()
  for (const o of objects) seen.set(`${o.apiVersion} ${o.kind}`, {apiVersion: o.apiVersion, kind: o.kind})
  return [...seen.values()]
}
