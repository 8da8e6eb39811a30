/**
 * Plan cost at scale: full-mesh federations of N clusters are applied to the simulator, then a
 * no-op `mcfed plan` runs with 50 ms injected per API call. Reports wall time, API calls and peak
 * RSS beside the physical floor (CLI start-up + one round trip, since the four list calls run in
 * parallel) and beside the per-resource-GET refresh model of incumbents (resources × RTT / 10).
 *
 *   npx tsx bench/plan-scale.ts [--topology full-mesh|shared|islands] [N ...]      (default: 3 10 30)
 *
 * Islands are groups of 25 clusters peered full-mesh inside, joined by gateway links.
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {desiredGraph} from '../src/graph/desired.js'
import {kindSchema} from '../src/kinds/registry.js'
import {startGcpSimulator} from '../src/sandbox/gcp/server.js'
import {parseSpec} from '../src/spec/parse.js'
import {generateSpec} from '../test/support/generate.js'

const run = promisify(execFile)
const RTT_MS = 50
const REPEATS = 3
const topologyArg = process.argv.find((a) => a.startsWith('--topology='))?.split('=')[1] ?? 'full-mesh'
const topology = topologyArg === 'islands' ? {islandSize: 25} : (topologyArg as 'full-mesh' | 'shared')
const sizes = process.argv.slice(2).map(Number).filter(Boolean)

async function timed(args: string[], env: Record<string, string>): Promise<{ms: number; rssMb: number; code: number}> {
  const t0 = performance.now()
  try {
    const r = await run('/usr/bin/time', ['-f', '%M', process.execPath, 'bin/run.js', ...args], {env: {...process.env, ...env}, maxBuffer: 1 << 28})
    return {ms: performance.now() - t0, rssMb: Number(r.stderr.trim().split('\n').pop()) / 1024, code: 0}
  } catch (e) {
    const err = e as {code: number; stderr: string}
    return {ms: performance.now() - t0, rssMb: Number(err.stderr.trim().split('\n').pop()) / 1024, code: err.code}
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const rows: string[] = []
for (const n of sizes.length ? sizes : [3, 10, 30]) {
  const sim = await startGcpSimulator({operationMs: 0, clusterOperationMs: 0, waitCapMs: 1_000})
  const dir = mkdtempSync(join(tmpdir(), 'mcfed-bench-'))
  const spec = join(dir, 'federation.yaml')
  const text = generateSpec({clusters: n, topology})
  writeFileSync(spec, text)
  const env = {MCFED_GCP_ENDPOINT: sim.url, MCFED_LAYERS: 'gcp', NO_COLOR: '1'}
  const t0 = performance.now()
  const seeded = await timed(['apply', '-f', spec, '--auto-approve', '--parallelism', '50'], env)
  if (seeded.code !== 0) throw new Error(`seeding ${n} clusters failed`)
  const applyMs = performance.now() - t0
  // One at a time: three CLIs at once on two cores would measure contention, not start-up.
  const startup = median([(await timed(['validate', '-f', spec], env)).ms, (await timed(['validate', '-f', spec], env)).ms, (await timed(['validate', '-f', spec], env)).ms])
  sim.faults.add({latencyMs: RTT_MS, times: -1})
  const plans = []
  for (let i = 0; i < REPEATS; i++) {
    sim.resetCalls()
    plans.push({...(await timed(['plan', '-f', spec, '--detailed-exitcode'], env)), calls: Object.values(sim.calls()).reduce((a, b) => a + b, 0)})
  }
  if (plans.some((p) => p.code !== 0)) throw new Error(`plan of ${n} clusters was not a no-op`)
  const resources = desiredGraph(parseSpec(spec, text, {}).spec!).filter((r) => kindSchema(r.kind).layer === 'gcp').length
  const wall = median(plans.map((p) => p.ms))
  const floor = startup + RTT_MS
  const incumbent = (resources * RTT_MS) / 10
  rows.push(
    `| ${n} | ${resources} | ${Math.round(applyMs)} ms | ${plans[0]!.calls} | ${Math.round(wall)} ms | ${Math.round(floor)} ms | ${(wall / floor).toFixed(2)} | ${Math.round(incumbent)} ms | ${(incumbent / wall).toFixed(1)}× | ${Math.round(Math.max(...plans.map((p) => p.rssMb)))} MB |`,
  )
  console.error(rows.at(-1))
  await sim.close()
}

console.log(
  [
    `Plan of a converged GCP layer (${topologyArg}), ${RTT_MS} ms injected per API call, median of ${REPEATS}. Floor = CLI start-up with validation (measured) + one round trip.`,
    '',
    '| clusters | GCP resources | seed apply (0 ms ops) | API calls per plan | plan wall | floor | wall / floor | per-GET refresh model (×RTT/10) | model / mcfed | peak RSS |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n'),
)
