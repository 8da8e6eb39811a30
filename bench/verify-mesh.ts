/**
 * `mcfed verify` beside the manual check it replaces, on the same live mesh: three real API servers
 * with Linkerd 2.19 installed from its own CLI's renders, Linkerd's own controllers running for its
 * pods, mcfed's 8 Links, and the mirrors and federated services the controllers made. The peer reads
 * the same kinds with kubectl, one call per cluster, as an operator's script would, and decides nothing.
 *
 *   npx tsx bench/verify-mesh.ts        (needs Linkerd's binaries: tools/linkerd/binaries.sh 2.19)
 */
import {execFile} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {parseSpec} from '../src/spec/parse.js'
import {kubeBinaries} from '../src/sandbox/kube/binaries.js'
import {linkerdBinaries} from '../src/sandbox/linkerd/binaries.js'
import {installLinkerdExternally, startMeshClusters} from '../test/support/mesh-clusters.js'
import {SEED_MIRRORS, waitForMirrors} from '../test/support/mirrors.js'
import {paired} from './paired.js'

const run = promisify(execFile)
const linkerd = await linkerdBinaries('edge-25.10.7', {build: true})
if (!linkerd.ok || !linkerd.cli) throw new Error(`Linkerd's binaries: ${'reason' in linkerd ? linkerd.reason : 'no CLI'}`)
const CLUSTERS = ['west', 'east', 'north'] as const
const mesh = await startMeshClusters(await kubeBinaries(), 'vbench', {linkerd: true})
try {
  const work = join(mesh.dir, 'work')
  mkdirSync(work)
  const spec = join(work, 'federation.yaml')
  const text = readFileSync('examples/three-region/federation.yaml', 'utf8').replace(/(\n    (west|east|north):\n)/g, '$1      kubeContext: $2\n').replace('version: "2.18"', 'version: "2.19"\n    install: external')
  writeFileSync(spec, text)
  const env = {...process.env, KUBECONFIG: mesh.kubeconfig, MCFED_LAYERS: 'kube'}
  await run(process.execPath, ['bin/run.js', 'certs', 'init', '-f', spec], {env})
  await installLinkerdExternally(mesh, {cli: linkerd.cli, spec: parseSpec(spec, text, {}).spec!, anchorPem: readFileSync(join(work, 'certs', 'root.crt'), 'utf8')})
  for (const c of CLUSTERS) await mesh.kubectl(c, 'apply', '-f', 'examples/three-region/services.yaml')
  await run(process.execPath, ['bin/run.js', 'apply', '-f', spec, '--auto-approve'], {env})
  await waitForMirrors(mesh, SEED_MIRRORS)
  const peer = ['sh', '-c', `for c in ${CLUSTERS.join(' ')}; do kubectl --context $c get services,endpoints,leases,links.multicluster.linkerd.io,deployments -A -o json >/dev/null; done`]
  paired({a: 'mcfed verify', b: 'kubectl get … -A, per cluster'}, [process.execPath, 'bin/run.js', 'verify', '-f', spec], peer, {env})
} finally {
  await mesh.stop()
}
