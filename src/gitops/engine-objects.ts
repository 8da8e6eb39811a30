import type {GitopsSpec} from '../spec/types.js'
import type {KubeObject} from '../linkerd/install/manifests.js'
import {LAYERS, syncWave, type Layer} from './layout.js'

const ARGOCD_NAMESPACE = 'argocd'
const FLUX_NAMESPACE = 'flux-system'

/** Path of a cluster's tree (or one layer of it) inside the repository. */
export function clusterPath(gitops: GitopsSpec, cluster: string, layer?: Layer): string {
  const base = gitops.root === '.' ? `clusters/${cluster}` : `${gitops.root}/clusters/${cluster}`
  return layer ? `${base}/${layer}` : base
}

/**
 * Argo CD: one ApplicationSet whose list generator makes one Application per cluster, each syncing
 * that cluster's tree to the cluster Argo CD knows by the same name. The layers' order inside an
 * Application is its objects' sync waves (`argocd.argoproj.io/sync-wave`, set per object by the tree).
 */
export function argoApplicationSet(federation: string, gitops: GitopsSpec, clusters: readonly string[], owner: Readonly<Record<string, string>>): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: {name: `mcfed-${federation}`, namespace: ARGOCD_NAMESPACE, labels: {...owner}},
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{list: {elements: clusters.map((cluster) => ({cluster}))}}],
      template: {
        metadata: {name: `mcfed-${federation}-{{.cluster}}`, labels: {...owner}},
        spec: {
          project: 'default',
          source: {repoURL: gitops.repoURL, targetRevision: 'HEAD', path: clusterPath(gitops, '{{.cluster}}')},
          destination: {name: '{{.cluster}}'},
          syncPolicy: {automated: {prune: true, selfHeal: true}, syncOptions: ['ServerSideApply=true', 'CreateNamespace=false']},
        },
      },
    },
  }
}

/**
 * Flux: one Kustomization per cluster and layer, each applying that layer to the cluster through
 * the kubeconfig Secret `<cluster>-kubeconfig`, after the layer before it is ready (`dependsOn`,
 * `wait`): CRDs, control plane, extension, Links, services.
 */
export function fluxKustomizations(gitops: GitopsSpec, cluster: string, layers: readonly Layer[], owner: Readonly<Record<string, string>>): KubeObject[] {
  const present = LAYERS.filter((l) => layers.includes(l))
  return present.map((layer, i) => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: {name: `${cluster}-${layer}`, namespace: FLUX_NAMESPACE, labels: {...owner}},
    spec: {
      interval: '10m',
      path: `./${clusterPath(gitops, cluster, layer)}`,
      prune: true,
      wait: true,
      sourceRef: {kind: 'GitRepository', name: gitops.sourceRef},
      kubeConfig: {secretRef: {name: `${cluster}-kubeconfig`}},
      ...(i > 0 ? {dependsOn: [{name: `${cluster}-${present[i - 1]}`}]} : {}),
    },
  }))
}

/** What an engine needs on each object of a layer: Argo CD's sync wave. */
export function layerAnnotations(gitops: GitopsSpec, layer: Layer): Record<string, string> {
  return gitops.engine === 'argocd' ? {'argocd.argoproj.io/sync-wave': String(syncWave(layer))} : {}
}

/**
 * On an object that only sets fields of something someone else owns: applied server-side and
 * merged, never pruned or deleted with the tree (the Service or Deployment is not the tree's).
 */
export function partialAnnotations(gitops: GitopsSpec): Record<string, string> {
  return gitops.engine === 'argocd'
    ? {'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false,Delete=false'}
    : {'kustomize.toolkit.fluxcd.io/ssa': 'Merge', 'kustomize.toolkit.fluxcd.io/prune': 'disabled'}
}
