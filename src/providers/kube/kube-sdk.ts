import {dirname} from 'node:path'
import {fileURLToPath} from 'node:url'

import type * as ClientNode from '@kubernetes/client-node'

import {bundleBuilt, runBundle, sdkBundle} from '../sdk-bundle.js'

/** What mcfed uses of @kubernetes/client-node at run time (its types are imported as types). */
export const KUBE_SDK_EXPORTS = [
  'AppsV1Api',
  'AuthorizationV1Api',
  'CoreV1Api',
  'CoordinationV1Api',
  'CustomObjectsApi',
  'KubeConfig',
  'KubernetesObjectApi',
  'Observable',
  'PatchStrategy',
  'RbacAuthorizationV1Api',
] as const

export type KubeSdk = Pick<typeof ClientNode, (typeof KUBE_SDK_EXPORTS)[number]>

export const KUBE_SDK_BUNDLE = sdkBundle(dirname(fileURLToPath(import.meta.url)), 'kube-sdk')

/**
 * @kubernetes/client-node is some 1,500 ES modules (every API group and model): importing it took
 * ~0.9 s of each Kubernetes-layer command. The build bundles the exports above
 * (scripts/bundle-sdks.mjs); running from source, the package is imported as published.
 */
export async function loadKubeSdk(): Promise<KubeSdk> {
  if (bundleBuilt(KUBE_SDK_BUNDLE)) return runBundle<KubeSdk>(KUBE_SDK_BUNDLE).exports
  return await import('@kubernetes/client-node')
}
