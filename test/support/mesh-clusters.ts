import {execFile, spawn} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {stringify} from 'yaml'

import {multiclusterValues} from '../../src/linkerd/install/values.js'
import {kubeconfig} from '../../src/sandbox/kube/kubeconfig.js'
import {startKubeCluster, type KubeCluster} from '../../src/sandbox/kube/launcher.js'
import {cachedControllerLookup} from '../../src/sandbox/linkerd/binaries.js'
import type {FederationSpec} from '../../src/spec/types.js'
import {until} from './until.js'

const run = promisify(execFile)

export interface MeshClusters {
  readonly dir: string
  readonly kubeconfig: string
  readonly clusters: readonly KubeCluster[]
  kubectl(context: string, ...args: string[]): Promise<string>
  stop(): Promise<void>
}

export interface MeshOptions {
  /** Run Linkerd's own controllers for the pods that describe them, as the sandbox does. */
  readonly linkerd?: boolean
}

/** Pod ranges of the three-region example, so that pods get the addresses a GKE cluster would give them. */
const POD_RANGES: Readonly<Record<string, string>> = {west: '10.100.0.0/14', east: '10.108.0.0/14', north: '10.116.0.0/14'}

/**
 * Three API servers of a test file's own (west, east, north), so that a test owning the `linkerd`
 * namespaces shares them with no other test file. Pods run (KWOK); with `linkerd`, Linkerd's own
 * destination and service-mirror controllers run for the pods that describe them.
 */
export async function startMeshClusters(binDir: string, prefix: string, o: MeshOptions = {}): Promise<MeshClusters> {
  const dir = mkdtempSync(join(tmpdir(), `mcfed-kube-${prefix}-`))
  const controllers = o.linkerd ? cachedControllerLookup() : undefined
  const clusters = await Promise.all(
    ['west', 'east', 'north'].map((name) => startKubeCluster({name, binDir, dataDir: join(dir, name), podCidr: POD_RANGES[name], ...(controllers ? {linkerdControllers: controllers} : {})})),
  )
  const path = join(dir, 'kubeconfig')
  writeFileSync(path, kubeconfig(clusters), {mode: 0o600})
  return {
    dir,
    kubeconfig: path,
    clusters,
    kubectl: (context, ...args) => kubectlIn(path, context, ...args),
    stop: async () => {
      await Promise.all(clusters.map((c) => c.stop()))
      rmSync(dir, {recursive: true, force: true})
    },
  }
}

export async function kubectlIn(kubeconfigFile: string, context: string, ...args: string[]): Promise<string> {
  return (await run('kubectl', ['--kubeconfig', kubeconfigFile, '--context', context, ...args], {maxBuffer: 1 << 26})).stdout
}

/** `kubectl apply --server-side` of what a command prints, as `linkerd install | kubectl apply -f -` does. */
async function pipeToKubectl(command: string, args: readonly string[], stdin: string, kubeconfigFile: string, context: string, applyArgs: readonly string[] = []): Promise<void> {
  const rendered = await new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, {stdio: ['pipe', 'pipe', 'pipe']})
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${err.trim()}`))))
    child.stdin.end(stdin)
  })
  await new Promise<void>((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', kubeconfigFile, '--context', context, 'apply', '--server-side', ...applyArgs, '-f', '-'], {stdio: ['pipe', 'ignore', 'pipe']})
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kubectl apply in ${context} exited ${code}: ${err.trim()}`))))
    child.stdin.end(rendered)
  })
}

export interface ExternalInstall {
  /** Linkerd's own CLI of the release to install. */
  readonly cli: string
  readonly spec: FederationSpec
  /** The spec's trust anchor (PEM): what Helm users pass as identityTrustAnchorsPEM. */
  readonly anchorPem: string
  /** Multicluster values per cluster; by default the ones the spec implies (a controller per consumed link). */
  readonly multicluster?: (cluster: string) => Record<string, unknown>
}

/**
 * Installs Linkerd as an external installer (Helm, Argo CD, `linkerd install | kubectl apply`)
 * would, with Linkerd's own CLI: CRDs, a control plane that takes its issuer from a
 * `kubernetes.io/tls` Secret someone else writes (mcfed, with `install: external`), and the
 * multicluster extension with one controller per consumed link, applied server-side.
 */
export async function installLinkerdExternally(mesh: MeshClusters, o: ExternalInstall): Promise<void> {
  await Promise.all(
    mesh.clusters.map(async (c) => {
      await pipeToKubectl(o.cli, ['install', '--crds', '--ignore-cluster'], '', mesh.kubeconfig, c.name)
      await crdsEstablished(mesh, c.name)
      const controlPlane = {identityTrustAnchorsPEM: o.anchorPem, identity: {issuer: {scheme: 'kubernetes.io/tls'}}}
      // Where mcfed already wrote the trust roots the installer takes them over, as Helm would.
      await pipeToKubectl(o.cli, ['install', '--ignore-cluster', '-f', '-'], stringify(controlPlane), mesh.kubeconfig, c.name, ['--force-conflicts'])
      await installMulticluster(mesh, o, c.name)
      await crdsEstablished(mesh, c.name)
    }),
  )
}

/** The multicluster extension alone, with these values: what an installer re-runs to add or drop a controller. */
export async function installMulticluster(mesh: MeshClusters, o: Pick<ExternalInstall, 'cli' | 'spec' | 'multicluster'>, cluster: string): Promise<void> {
  const values = o.multicluster?.(cluster) ?? multiclusterValues(o.spec, cluster)
  await pipeToKubectl(o.cli, ['multicluster', 'install', '--ignore-cluster', '-f', '-'], stringify(values), mesh.kubeconfig, cluster)
}

/** Every CRD reports Established (a fresh CRD has no conditions yet, which `kubectl wait` rejects). */
export async function crdsEstablished(mesh: MeshClusters, context: string): Promise<void> {
  await until(`CRDs established in ${context}`, async () => {
    const crds = JSON.parse(await mesh.kubectl(context, 'get', 'crd', '-o', 'json')).items as {status?: {conditions?: {type: string; status: string}[]}}[]
    return crds.every((c) => c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True'))
  })
}
