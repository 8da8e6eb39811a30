import {kubeProviderOf} from '../engine/kube-estate.js'
import type {KubeProvider} from '../providers/kube/provider.js'
import type {FederationSpec} from '../spec/types.js'
import {validSpecOrReport} from './spec-input.js'
import {resolveGcpTarget} from './target.js'

/** What the cluster-only commands (verify, drill) work with: a valid spec and its Kubernetes provider. */
export interface KubeRun {
  readonly spec: FederationSpec
  readonly kube: KubeProvider
  readonly close: () => Promise<void>
}

/** The spec validated (an invalid one reported, and undefined) and the provider opened on its clusters. */
export async function openKubeRun(flags: {file: string; sandbox?: boolean; 'gcp-endpoint'?: string}, color: boolean, what: string): Promise<KubeRun | undefined> {
  const validation = await validSpecOrReport(flags.file, color, what)
  if (!validation) return undefined
  const spec = validation.spec!
  return {spec, ...(await kubeProviderOf(spec, resolveGcpTarget(flags), flags.file))}
}
