/**
 * Cluster-side plan cost: three real API servers (reached through `kubeContext`), S Services in S
 * namespaces labelled by mcfed in every cluster, then a no-op `mcfed plan --layer kube`. Reports
 * wall time and the LIST/GET requests each API server counted (its own /metrics), beside the
 * per-namespace reader mcfed had before (S + 2 LISTs per cluster) and per-object GETs.
 *
 *   npx tsx bench/kube-plan.ts [S ...]      (default: 1 30 150)
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {kubeBinaries} from '../src/sandbox/kube/binaries.js'
import {kubeconfig} from '../src/sandbox/kube/kubeconfig.js'
import {startKubeCluster} from '../src/sandbox/kube/launcher.js'
import {requestsByVerb} from '../test/support/apiserver-requests.js'

const run = promisify(execFile)
const CLUSTERS = ['west', 'east', 'north']
const REPEATS = 3
const sizes = process.argv.slice(2).map(Number).filter(Boolean)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const dir = mkdtempSync(join(tmpdir(), 'mcfed-kbench-'))
const binDir = await kubeBinaries()
const clusters = await Promise.all(CLUSTERS.map((name) => startKubeCluster({name, binDir, dataDir: join(dir, name)})))
const config = join(dir, 'kubeconfig')
writeFileSync(config, kubeconfig(clusters), {mode: 0o600})
const env = {...process.env, KUBECONFIG: config, MCFED_LAYERS: 'kube', NO_COLOR: '1'}
const kubectl = async (...args: string[]) => (await run('kubectl', args, {env, maxBuffer: 1 << 26})).stdout
const mcfed = async (...args: string[]) => {
  const t0 = performance.now()
  const r = await run(process.execPath, ['bin/run.js', ...args], {env, maxBuffer: 1 << 26}).then(
    () => 0,
    (e: {code: number; stdout: string}) => (e.code === 2 ? 2 : Promise.reject(new Error(e.stdout))),
  )
  return {code: r, ms: performance.now() - t0}
}

/** Requests one API server served for the kinds mcfed reads, by verb. */
const requests = async (context: string) => requestsByVerb(await kubectl('--context', context, 'get', '--raw', '/metrics'))

const base = readFileSync('examples/three-region/federation.yaml', 'utf8').replace(/(\n    (west|east|north):\n)/g, '$1      kubeContext: $2\n')
const rows: string[] = []
try {
  for (const s of sizes.length ? sizes : [1, 30, 150]) {
    const names = Array.from({length: s}, (_, i) => `svc-${i}`)
    const services = names.map((n, i) => `    ${n}:\n      namespace: bench-${i}\n      mode: federated\n      clusters: [west, east, north]\n`).join('')
    const spec = join(dir, `federation-${s}.yaml`)
    writeFileSync(spec, base.replace(/  services:\n[\s\S]*$/, `  services:\n${services}`))
    const objects = names.flatMap((n, i) => [
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: bench-${i}}`,
      `apiVersion: v1\nkind: Service\nmetadata: {name: ${n}, namespace: bench-${i}}\nspec: {ports: [{port: 80}]}`,
    ])
    writeFileSync(join(dir, 'objects.yaml'), objects.join('\n---\n'))
    await Promise.all(CLUSTERS.map((c) => kubectl('--context', c, 'apply', '-f', join(dir, 'objects.yaml'))))
    if (s === (sizes[0] ?? 1)) await mcfed('certs', 'init', '-f', spec)
    await mcfed('apply', '-f', spec, '--auto-approve')
    // One at a time: three CLIs at once on two cores would measure contention, not start-up.
    const startup = median([(await mcfed('validate', '-f', spec)).ms, (await mcfed('validate', '-f', spec)).ms, (await mcfed('validate', '-f', spec)).ms])
    const plans: {ms: number; list: number; get: number}[] = []
    for (let i = 0; i < REPEATS; i++) {
      const before = await requests('north')
      const p = await mcfed('plan', '-f', spec, '--detailed-exitcode')
      if (p.code !== 0) throw new Error(`plan with ${s} services was not a no-op`)
      const after = await requests('north')
      plans.push({ms: p.ms, list: (after.LIST ?? 0) - (before.LIST ?? 0), get: (after.GET ?? 0) - (before.GET ?? 0)})
    }
    const wall = median(plans.map((p) => p.ms))
    const perNamespace = s + 2
    const perObject = s + 2 // one GET per labelled Service, plus the trust roots and the issuer
    rows.push(`| ${s} | ${s} | ${plans[0]!.list} | ${plans[0]!.get} | ${perNamespace} | ${perObject} | ${Math.round(wall)} ms | ${Math.round(startup)} ms | ${Math.round(wall - startup)} ms |`)
  }
} finally {
  await Promise.all(clusters.map((c) => c.stop()))
  rmSync(dir, {recursive: true, force: true})
}
console.log('| services per cluster | namespaces | LISTs per cluster | GETs per cluster | per-namespace LISTs (before) | per-object GETs | plan wall | CLI start-up (validate) | wall − start-up |')
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
for (const r of rows) console.log(r)
