import type {GcpTarget} from '../providers/gcp/client.js'
import type {KubeProvider} from '../providers/kube/provider.js'
import type {FederationSpec} from '../spec/types.js'
import {buildProviders} from './estate.js'

/** The Kubernetes provider alone (verify, drill), over GCP's cluster list where clusters are GKE's, and how to close everything it opened. */
export async function kubeProviderOf(spec: FederationSpec, target: GcpTarget, specFile: string): Promise<{kube: KubeProvider; close: () => Promise<void>}> {
  const providers = await buildProviders(spec, target, {specFile, layers: ['kube']})
  const {KubeProvider} = await import('../providers/kube/provider.js')
  const kube = providers.find((p): p is KubeProvider => p instanceof KubeProvider)!
  return {kube, close: async () => void (await Promise.all(providers.map((p) => p.close())))}
}
