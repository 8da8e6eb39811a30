import type {Diagnostic} from '../diagnostics/diagnostic.js'
import type {DesiredResource} from '../graph/resource.js'
import {objectKey, type Component, type KubeObject} from '../linkerd/install/manifests.js'
import type {GitopsSpec} from '../spec/types.js'
import {clusterObjects, type ClusterObjectsContext} from './cluster-objects.js'
import {argoApplicationSet, fluxKustomizations, layerAnnotations, partialAnnotations} from './engine-objects.js'
import {LAYERS, layerOf, type Layer} from './layout.js'
import {valuesFiles} from './values-files.js'
import {yamlDocument, yamlDocuments} from './yaml.js'
import {compareCodePoints} from '../util/compare.js'

/** A rendered tree: file path (relative, `/`-separated) → content, in path order. */
export type Tree = ReadonlyMap<string, string>

/** The directories of a tree mcfed owns: what render rewrites and prunes, nothing else. */
export const TREE_DIRS = ['clusters', 'engine', 'values'] as const

export interface RenderedTree {
  readonly files: Tree
  readonly diagnostics: Diagnostic[]
}

/**
 * The GitOps tree of a desired graph: per cluster, per layer, one file per object kind (objects
 * sorted by namespace and name), a kustomization.yaml in every directory so that
 * `kubectl apply -k clusters/<c>` works without an engine, and the engine's own objects. Pure and
 * deterministic: the same graph gives the same bytes. Resources it cannot render yet are left out
 * with a warning saying why.
 */
export function renderTree(federation: string, gitops: GitopsSpec, clusters: readonly string[], desired: readonly DesiredResource[], ctx: ClusterObjectsContext): RenderedTree {
  const diagnostics: Diagnostic[] = []
  // cluster → layer → file → objects
  const byCluster = new Map<string, Map<Layer, Map<string, KubeObject[]>>>(clusters.map((c) => [c, new Map()]))
  const add = (cluster: string, layer: Layer, file: string, o: KubeObject) => {
    const layers = byCluster.get(cluster) ?? new Map<Layer, Map<string, KubeObject[]>>()
    byCluster.set(cluster, layers)
    const files = layers.get(layer) ?? new Map<string, KubeObject[]>()
    layers.set(layer, files)
    files.set(file, [...(files.get(file) ?? []), o])
  }
  for (const r of desired) {
    const layer = layerOf(r.kind)
    if (!layer) continue
    const rendered = clusterObjects(r, ctx)
    if ('skipped' in rendered) {
      diagnostics.push({severity: 'warning', rule: 'gitops/not-rendered', message: `${r.address} is not in the tree: ${rendered.skipped}`, locations: []})
      continue
    }
    const wave = layerAnnotations(gitops, layer)
    for (const o of rendered.objects) add(r.cluster, layer, `${o.kind.toLowerCase()}.yaml`, annotate(o, wave))
    // One file each: a patch of someone else's object reads as one, and a renamed one is a renamed file.
    for (const o of rendered.partial ?? []) add(r.cluster, layer, `${[o.kind.toLowerCase(), o.metadata.namespace, o.metadata.name].filter(Boolean).join('-')}.yaml`, annotate(o, {...wave, ...partialAnnotations(gitops)}))
  }
  const files = new Map<string, string>()
  for (const cluster of [...byCluster.keys()].sort(compareCodePoints)) {
    const layers = byCluster.get(cluster)!
    const present = LAYERS.filter((l) => layers.has(l))
    for (const layer of present) {
      const names = [...layers.get(layer)!.keys()].sort(compareCodePoints)
      for (const name of names) {
        const objects = [...layers.get(layer)!.get(name)!].sort((a, b) => compareCodePoints(objectKey(a), objectKey(b)))
        files.set(`clusters/${cluster}/${layer}/${name}`, yamlDocuments(objects))
      }
      files.set(`clusters/${cluster}/${layer}/kustomization.yaml`, kustomization(names))
    }
    files.set(`clusters/${cluster}/kustomization.yaml`, kustomization(present))
    if (gitops.engine === 'flux') files.set(`engine/${cluster}.yaml`, yamlDocuments(fluxKustomizations(gitops, cluster, present, ctx.owner)))
  }
  if (ctx.components) for (const [path, content] of componentValuesFiles(clusters, ctx.components)) files.set(path, content)
  if (gitops.engine === 'argocd') files.set('engine/applicationset.yaml', yamlDocument(argoApplicationSet(federation, gitops, [...byCluster.keys()].sort(compareCodePoints), ctx.owner)))
  return {files: new Map([...files.entries()].sort(([a], [b]) => compareCodePoints(a, b))), diagnostics}
}

function kustomization(resources: readonly string[]): string {
  return yamlDocument({apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources]})
}

function annotate(o: KubeObject, annotations: Readonly<Record<string, string>>): KubeObject {
  if (Object.keys(annotations).length === 0) return o
  return {...o, metadata: {...o.metadata, annotations: {...(o.metadata.annotations ?? {}), ...annotations}}}
}

/** The CLI command each component with values is rendered by. */
const RENDER_COMMANDS: Readonly<Partial<Record<Component, string>>> = {
  'control-plane': 'linkerd install --ignore-cluster',
  multicluster: 'linkerd multicluster install --ignore-cluster',
}

function componentValuesFiles(clusters: readonly string[], components: NonNullable<ClusterObjectsContext['components']>): Map<string, string> {
  const files = new Map<string, string>()
  for (const [component, command] of Object.entries(RENDER_COMMANDS) as [Component, string][]) {
    const byCluster = new Map(clusters.flatMap((c) => {
      const values = components(c).values[component]
      return values ? [[c, values] as const] : []
    }))
    if (byCluster.size > 0) for (const [path, content] of valuesFiles(component, command, byCluster)) files.set(path, content)
  }
  return files
}
