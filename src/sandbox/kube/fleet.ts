import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {SANDBOX_TOKEN} from '../../providers/gcp/client.js'
import type {LinkerdBinaries} from '../linkerd/binaries.js'
import type {ControllerStatus} from '../linkerd/controllers.js'
import {kubeconfig} from './kubeconfig.js'
import {startKubeCluster, type KubeCluster} from './launcher.js'

/** What a GKE cluster's record says of the cluster the sandbox starts for it. */
export interface ClusterShape {
  /** The cluster's pod range: its fake node gives pods addresses from it. */
  readonly podCidr?: string
}

/**
 * The sandbox's clusters: one real kube-apiserver (and etcd) per GKE cluster the simulator holds.
 * Keeps the sandbox kubeconfig current, one context per cluster.
 */
export class KubeFleet {
  private readonly clusters = new Map<string, KubeCluster>()

  constructor(
    private readonly binDir: string,
    private readonly dir: string,
    /** Runs Linkerd's controllers for the pods that describe them; absent with `sandbox up --no-linkerd`. */
    private readonly linkerdControllers?: (release: string) => Promise<LinkerdBinaries>,
  ) {}

  get kubeconfigPath(): string {
    return join(this.dir, 'kubeconfig')
  }

  /** Starts (or restarts, reusing its etcd data) the API server of cluster `name`. */
  async start(name: string, shape: ClusterShape = {}): Promise<{endpoint: string; caCertificate: string}> {
    await this.clusters.get(name)?.stop({keepData: true})
    const c = await startKubeCluster({
      name,
      binDir: this.binDir,
      dataDir: join(this.dir, 'clusters', name),
      token: SANDBOX_TOKEN,
      ...(shape.podCidr ? {podCidr: shape.podCidr} : {}),
      ...(this.linkerdControllers ? {linkerdControllers: this.linkerdControllers} : {}),
    })
    this.clusters.set(name, c)
    this.writeKubeconfig()
    // GKE reports the endpoint as a bare address and the CA as base64 PEM; clients add https://.
    return {endpoint: c.server.replace('https://', ''), caCertificate: Buffer.from(c.caPem).toString('base64')}
  }

  async delete(name: string): Promise<void> {
    await this.clusters.get(name)?.stop()
    this.clusters.delete(name)
    this.writeKubeconfig()
  }

  /** Linkerd's controllers the sandbox runs, every cluster's. */
  controllers(): ControllerStatus[] {
    return [...this.clusters.values()].flatMap((c) => c.linkerd?.status() ?? [])
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.clusters.values()].map((c) => c.stop({keepData: true})))
    this.clusters.clear()
  }

  private writeKubeconfig(): void {
    const all = [...this.clusters.values()].sort((a, b) => a.name.localeCompare(b.name))
    writeFileSync(this.kubeconfigPath, kubeconfig(all), {mode: 0o600})
  }
}
