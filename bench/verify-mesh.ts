/**
 * `mcfed verify` beside the manual check it replaces, on the same live mesh: three real API servers
 * with the recorded 2.19 renders installed, mcfed's 8 Links, and the mirrors, federated services
 * and Leases Linkerd's own controllers wrote (recorded fixtures, Leases held). The peer reads the
 * same kinds with kubectl, one call per cluster, as an operator's script would, and decides nothing.
 *
 *   npx tsx bench/verify-mesh.ts        (needs ../shared/fixtures and farm-bench on PATH)
 */
import {execFile, spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {stringify} from 'yaml'

import {kubeBinaries} from '../src/sandbox/kube/binaries.js'
import {installLinkerdFromRenders, startMeshClusters} from '../test/support/mesh-clusters.js'
import {creatable, heldLease, recordedObjects} from '../test/support/recorded-mesh.js'

const run = promisify(execFile)
const CLUSTERS = ['west', 'east', 'north'] as const
const mesh = await startMeshClusters(await kubeBinaries(), 'vbench')
try {
  const work = join(mesh.dir, 'work')
  mkdirSync(work)
  await installLinkerdFromRenders(mesh, 'edge-25.10.7')
  for (const c of CLUSTERS) await mesh.kubectl(c, 'apply', '-f', 'examples/three-region/services.yaml')
  const spec = join(work, 'federation.yaml')
  writeFileSync(spec, readFileSync('examples/three-region/federation.yaml', 'utf8').replace(/(\n    (west|east|north):\n)/g, '$1      kubeContext: $2\n').replace('version: "2.18"', 'version: "2.19"\n    install: external'))
  const env = {...process.env, KUBECONFIG: mesh.kubeconfig, MCFED_LAYERS: 'kube'}
  await run(process.execPath, ['bin/run.js', 'certs', 'init', '-f', spec], {env})
  await run(process.execPath, ['bin/run.js', 'apply', '-f', spec, '--auto-approve'], {env})
  for (const c of CLUSTERS) {
    const r = recordedObjects(c)
    const leases = r.leases.map((l: any) => heldLease(l.metadata.name, 0, 3600, 'bench'))
    const objects = [...r.services.filter((s: any) => s.metadata.labels?.['mirror.linkerd.io/mirrored-service'] === 'true').map(creatable), ...r.endpoints.map(creatable), ...leases]
    const file = join(work, `${c}.yaml`)
    writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'))
    await mesh.kubectl(c, 'apply', '--server-side', '--force-conflicts', '-f', file)
  }
  const check = spawnSync(process.execPath, ['bin/run.js', 'verify', '-f', spec], {env, encoding: 'utf8'})
  console.log(`verify exit ${check.status}: ${check.stdout.trim().split('\n').at(-1)}`)
  const peer = `sh -c 'for c in west east north; do kubectl --context $c get services,endpoints,leases,links.multicluster.linkerd.io,deployments -A -o json >/dev/null; done'`
  const bench = spawnSync('farm-bench', ['-n', '10', '--timeout', '600', '--vs', peer, '--', process.execPath, 'bin/run.js', 'verify', '-f', spec], {env, encoding: 'utf8'})
  console.log(bench.stdout, bench.stderr)
} finally {
  await mesh.stop()
}
