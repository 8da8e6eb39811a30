/**
 * A no-op `mcfed plan` of Linkerd installed by mcfed (`install: mcfed`) beside `kubectl diff
 * --server-side` of the same renders, on three real API servers. mcfed renders the CRDs, control
 * plane and extension with Linkerd's own 2.19 CLI, lists what it applied, compares object by object
 * and plans labels, issuers and Links too. The peer diffs the renders of the same three components
 * against each cluster (rendered once, before timing, by the same CLI with the same values).
 *
 *   npx tsx bench/install-plan.ts        (needs Linkerd's binaries: tools/linkerd/binaries.sh 2.19)
 */
import {execFile, spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {stringify} from 'yaml'

import {controlPlaneValues, multiclusterValues} from '../src/linkerd/install/values.js'
import {YEAR_MS, selfSignedCa, signed} from '../src/providers/certs/x509.js'
import {kubeBinaries} from '../src/sandbox/kube/binaries.js'
import {parseSpec} from '../src/spec/parse.js'
import {linkerdBinaries} from '../src/sandbox/linkerd/binaries.js'
import {startMeshClusters} from '../test/support/mesh-clusters.js'
import {paired} from './paired.js'

const run = promisify(execFile)
const linkerd = await linkerdBinaries('edge-25.10.7', {build: true})
if (!linkerd.ok || !linkerd.cli) throw new Error(`Linkerd's binaries: ${'reason' in linkerd ? linkerd.reason : 'no CLI'}`)
const CLUSTERS = ['west', 'east', 'north'] as const
const mesh = await startMeshClusters(await kubeBinaries(), 'ibench')
try {
  const work = join(mesh.dir, 'work')
  mkdirSync(work)
  for (const c of CLUSTERS) await mesh.kubectl(c, 'apply', '-f', 'examples/three-region/services.yaml')
  const spec = join(work, 'federation.yaml')
  writeFileSync(spec, readFileSync('examples/three-region/federation.yaml', 'utf8').replace(/(\n    (west|east|north):\n)/g, '$1      kubeContext: $2\n').replace('version: "2.18"', 'version: "2.19"'))
  const env = {...process.env, KUBECONFIG: mesh.kubeconfig, MCFED_LAYERS: 'kube', MCFED_LINKERD_CLI: linkerd.cli}
  await run(process.execPath, ['bin/run.js', 'certs', 'init', '-f', spec], {env})
  await run(process.execPath, ['bin/run.js', 'apply', '-f', spec, '--auto-approve'], {env})
  const check = spawnSync(process.execPath, ['bin/run.js', 'plan', '-f', spec, '--detailed-exitcode'], {env, encoding: 'utf8'})
  console.log(`plan exit ${check.status}: ${check.stdout.trim().split('\n').at(-1)}`)
  // The peer's renders: the same CLI, the same values mcfed passes, certificates made for the bench.
  const parsed = parseSpec(spec, readFileSync(spec, 'utf8'), {}).spec!
  const anchor = await selfSignedCa({commonName: 'root.linkerd.cluster.local', validityMs: YEAR_MS, pathLength: 1})
  const issuer = await signed(anchor, {commonName: 'identity.linkerd.cluster.local', validityMs: YEAR_MS, ca: true, pathLength: 0})
  const webhook = await selfSignedCa({commonName: 'webhook.linkerd.cluster.local', validityMs: YEAR_MS, pathLength: 0})
  const render = (args: string[], values?: object) => spawnSync(linkerd.cli!, [...args, ...(values ? ['-f', '-'] : [])], {input: values ? stringify(values) : '', encoding: 'utf8', maxBuffer: 1 << 28}).stdout
  const files: string[] = []
  for (const c of CLUSTERS) {
    const file = join(work, `${c}-rendered.yaml`)
    const certs = {anchorPem: anchor.certPem, issuerCertPem: issuer.certPem, issuerKeyPem: issuer.keyPem, webhookCaPem: webhook.certPem}
    writeFileSync(file, [render(['install', '--crds', '--ignore-cluster']), render(['install', '--ignore-cluster'], controlPlaneValues(parsed, c, certs)), render(['multicluster', 'install', '--ignore-cluster'], multiclusterValues(parsed, c))].join('\n---\n'))
    files.push(`kubectl --context ${c} diff --server-side --force-conflicts --field-manager mcfed -f ${file} >/dev/null; [ $? -le 1 ]`)
  }
  // kubectl diff exits 1 when it finds differences (other certificates than mcfed's): that is its answer, not a failure.
  paired({a: 'mcfed plan (no-op)', b: 'kubectl diff --server-side, per cluster'}, [process.execPath, 'bin/run.js', 'plan', '-f', spec, '--detailed-exitcode'], ['sh', '-c', files.join(' && ')], {env})
} finally {
  await mesh.stop()
}
