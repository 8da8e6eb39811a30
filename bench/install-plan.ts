/**
 * A no-op `mcfed plan` of Linkerd installed by mcfed (`install: mcfed`) beside `kubectl diff
 * --server-side` of the same renders, on three real API servers. mcfed renders the CRDs, control
 * plane and extension with the linkerd CLI (here the stand-in that replays the CLI's recorded
 * renders), lists what it applied, compares object by object and plans labels, issuers and Links
 * too. The peer diffs the recorded renders of the same three components against each cluster.
 *
 *   npx tsx bench/install-plan.ts        (needs ../shared/fixtures and farm-bench on PATH)
 */
import {execFile, spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {kubeBinaries} from '../src/sandbox/kube/binaries.js'
import {fixture} from '../test/support/linkerd-fixtures.js'
import {startMeshClusters} from '../test/support/mesh-clusters.js'

const run = promisify(execFile)
const CLUSTERS = ['west', 'east', 'north'] as const
const mesh = await startMeshClusters(await kubeBinaries(), 'ibench')
try {
  const work = join(mesh.dir, 'work')
  mkdirSync(work)
  for (const c of CLUSTERS) await mesh.kubectl(c, 'apply', '-f', 'examples/three-region/services.yaml')
  const spec = join(work, 'federation.yaml')
  writeFileSync(spec, readFileSync('examples/three-region/federation.yaml', 'utf8').replace(/(\n    (west|east|north):\n)/g, '$1      kubeContext: $2\n').replace('version: "2.18"', 'version: "2.19"'))
  const env = {...process.env, KUBECONFIG: mesh.kubeconfig, MCFED_LAYERS: 'kube', MCFED_LINKERD_CLI: join(process.cwd(), 'test/support/linkerd-standin/linkerd')}
  await run(process.execPath, ['bin/run.js', 'certs', 'init', '-f', spec], {env})
  await run(process.execPath, ['bin/run.js', 'apply', '-f', spec, '--auto-approve'], {env})
  const check = spawnSync(process.execPath, ['bin/run.js', 'plan', '-f', spec, '--detailed-exitcode'], {env, encoding: 'utf8'})
  console.log(`plan exit ${check.status}: ${check.stdout.trim().split('\n').at(-1)}`)
  const files = (c: string) => ['crds.yaml', 'control-plane.yaml', `multicluster-${c}.yaml`].map((f) => `-f ${fixture('edge-25.10.7', f)}`).join(' ')
  // kubectl diff exits 1 when it finds differences (the recorded renders carry other certificates): that is its answer, not a failure.
  const peer = `sh -c '${CLUSTERS.map((c) => `kubectl --context ${c} diff --server-side --force-conflicts --field-manager mcfed ${files(c)} >/dev/null; [ $? -le 1 ]`).join(' && ')}'`
  const bench = spawnSync('farm-bench', ['-n', '10', '--timeout', '900', '--vs', peer, '--', process.execPath, 'bin/run.js', 'plan', '-f', spec, '--detailed-exitcode'], {env, encoding: 'utf8'})
  console.log(bench.stdout, bench.stderr)
} finally {
  await mesh.stop()
}
