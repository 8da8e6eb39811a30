import {execFile} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {kubeconfig} from '../../src/sandbox/kube/kubeconfig.js'
import {startKubeCluster, type KubeCluster} from '../../src/sandbox/kube/launcher.js'
import {fixture} from './linkerd-fixtures.js'
import {until} from './until.js'

const run = promisify(execFile)

export interface MeshClusters {
  readonly dir: string
  readonly kubeconfig: string
  readonly clusters: readonly KubeCluster[]
  kubectl(context: string, ...args: string[]): Promise<string>
  stop(): Promise<void>
}

/**
 * Three API servers of a test file's own (west, east, north), so that a test owning the `linkerd`
 * namespaces shares them with no other test file.
 */
export async function startMeshClusters(binDir: string, prefix: string): Promise<MeshClusters> {
  const dir = mkdtempSync(join(tmpdir(), `mcfed-kube-${prefix}-`))
  const clusters = await Promise.all(['west', 'east', 'north'].map((name) => startKubeCluster({name, binDir, dataDir: join(dir, name)})))
  const path = join(dir, 'kubeconfig')
  writeFileSync(path, kubeconfig(clusters), {mode: 0o600})
  return {
    dir,
    kubeconfig: path,
    clusters,
    kubectl: async (context, ...args) => (await run('kubectl', ['--kubeconfig', path, '--context', context, ...args], {maxBuffer: 1 << 26})).stdout,
    stop: async () => {
      await Promise.all(clusters.map((c) => c.stop()))
      rmSync(dir, {recursive: true, force: true})
    },
  }
}

/**
 * Installs Linkerd as an external installer would, from the recorded renders of `version`: CRDs,
 * the control plane (external issuer scheme, so the issuer stays mcfed's) and the cluster's
 * multicluster extension, applied server-side.
 */
export async function installLinkerdFromRenders(mesh: MeshClusters, version: string, multicluster: Record<string, string> = {}): Promise<void> {
  await Promise.all(
    mesh.clusters.map(async (c) => {
      await mesh.kubectl(c.name, 'apply', '--server-side', '-f', fixture(version, 'crds.yaml'))
      await crdsEstablished(mesh, c.name)
      // The render carries its own trust anchor, not the spec's: where mcfed already wrote the trust
      // roots that is a conflict. The installer forces it here; mcfed's next apply restores the spec's.
      await mesh.kubectl(c.name, 'apply', '--server-side', '--force-conflicts', '-f', fixture(version, 'control-plane-external-issuer.yaml'))
      await mesh.kubectl(c.name, 'apply', '--server-side', '-f', fixture(version, multicluster[c.name] ?? `multicluster-${c.name}.yaml`))
      await crdsEstablished(mesh, c.name)
    }),
  )
}

/** Every CRD reports Established (a fresh CRD has no conditions yet, which `kubectl wait` rejects). */
async function crdsEstablished(mesh: MeshClusters, context: string): Promise<void> {
  await until(`CRDs established in ${context}`, async () => {
    const crds = JSON.parse(await mesh.kubectl(context, 'get', 'crd', '-o', 'json')).items as {status?: {conditions?: {type: string; status: string}[]}}[]
    return crds.every((c) => c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True'))
  })
}
