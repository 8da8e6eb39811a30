/**
 * Plan cost at scale: federations of N clusters are applied to the simulator, then a no-op
 * `mcfed plan` runs with 50 ms injected per API call, in turn with the incumbent refresh pattern
 * measured on the same estate (bench/refresh-peer.mjs: one GET per resource, 10 in flight, through
 * the same Google clients). Reports wall time, API calls and peak RSS of both, and mcfed's wall
 * beside the physical floor (CLI start-up + one round trip, since its list calls run in parallel).
 *
 *   npx tsx --expose-gc bench/plan-scale.ts [--topology=full-mesh|shared|islands] [N ...]      (default: 3 10 30)
 *
 * The simulator runs in this process and serves both: 8,400 GETs leave its heap full of garbage
 * that it would collect while answering the next plan. With --expose-gc its heap is collected
 * before each timed run, so neither pays for the other's garbage.
 *
 * Islands are groups of 25 clusters peered full-mesh inside, joined by gateway links.
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {desiredGraph} from '../src/graph/desired.js'
import {kindSchema} from '../src/model/kinds.js'
import {startGcpSimulator} from '../src/sandbox/gcp/server.js'
import {parseSpec} from '../src/spec/parse.js'
import {generateSpec} from '../test/support/generate.js'

const run = promisify(execFile)
const RTT_MS = 50
const REPEATS = 3
const topologyArg = process.argv.find((a) => a.startsWith('--topology='))?.split('=')[1] ?? 'full-mesh'
const topology = topologyArg === 'islands' ? {islandSize: 25} : (topologyArg as 'full-mesh' | 'shared')
const sizes = process.argv.slice(2).map(Number).filter(Boolean)

async function timed(args: string[], env: Record<string, string>, script = 'bin/run.js'): Promise<{ms: number; rssMb: number; code: number}> {
  const t0 = performance.now()
  try {
    const r = await run('/usr/bin/time', ['-f', '%M', process.execPath, script, ...args], {env: {...process.env, ...env}, maxBuffer: 1 << 28})
    return {ms: performance.now() - t0, rssMb: Number(r.stderr.trim().split('\n').pop()) / 1024, code: 0}
  } catch (e) {
    const err = e as {code: number; stderr: string}
    return {ms: performance.now() - t0, rssMb: Number(err.stderr.trim().split('\n').pop()) / 1024, code: err.code}
  }
}

const collectSimulatorGarbage = (globalThis as {gc?: () => void}).gc ?? (() => {})
if (!('gc' in globalThis)) console.error('run with --expose-gc: without it each timed run may pay for the garbage the one before left in the simulator')

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const rows: string[] = []
for (const n of sizes.length ? sizes : [3, 10, 30]) {
  const sim = await startGcpSimulator({operationMs: 0, clusterOperationMs: 0, waitCapMs: 1_000})
  const dir = mkdtempSync(join(tmpdir(), 'mcfed-bench-'))
  const spec = join(dir, 'federation.yaml')
  const text = generateSpec({clusters: n, topology})
  writeFileSync(spec, text)
  const env = {MCFED_GCP_ENDPOINT: sim.url, MCFED_LAYERS: 'gcp', NO_COLOR: '1'}
  // As a user has it: without the anchor every plan warns, and the warning's location costs a parse.
  if ((await timed(['certs', 'init', '-f', spec], env)).code !== 0) throw new Error('certs init failed')
  const t0 = performance.now()
  const seeded = await timed(['apply', '-f', spec, '--auto-approve', '--parallelism', '50'], env)
  if (seeded.code !== 0) throw new Error(`seeding ${n} clusters failed`)
  const applyMs = performance.now() - t0
  // One at a time: three CLIs at once on two cores would measure contention, not start-up.
  const startup = median([(await timed(['validate', '-f', spec], env)).ms, (await timed(['validate', '-f', spec], env)).ms, (await timed(['validate', '-f', spec], env)).ms])
  sim.faults.add({latencyMs: RTT_MS, times: -1})
  const calls = () => Object.values(sim.calls()).reduce((a, b) => a + b, 0)
  const plans = []
  const peers = []
  // In turn, so that a drift in the machine's speed falls on both alike.
  for (let i = 0; i < REPEATS; i++) {
    sim.resetCalls()
    collectSimulatorGarbage()
    plans.push({...(await timed(['plan', '-f', spec, '--detailed-exitcode'], env)), calls: calls()})
    sim.resetCalls()
    collectSimulatorGarbage()
    peers.push({...(await timed([spec], env, 'bench/refresh-peer.mjs')), calls: calls()})
  }
  if (plans.some((p) => p.code !== 0)) throw new Error(`plan of ${n} clusters was not a no-op`)
  if (peers.some((p) => p.code !== 0)) throw new Error(`the refresh peer failed on ${n} clusters`)
  const resources = desiredGraph(parseSpec(spec, text, {}).spec!).filter((r) => kindSchema(r.kind).layer === 'gcp').length
  const wall = median(plans.map((p) => p.ms))
  const peerWall = median(peers.map((p) => p.ms))
  const floor = startup + RTT_MS
  const mb = (xs: Array<{rssMb: number}>) => Math.round(Math.max(...xs.map((p) => p.rssMb)))
  rows.push(
    `| ${n} | ${resources} | ${Math.round(applyMs)} ms | ${plans[0]!.calls} | ${Math.round(wall)} ms | ${Math.round(floor)} ms | ${(wall / floor).toFixed(2)} | ${mb(plans)} MB | ${peers[0]!.calls} | ${Math.round(peerWall)} ms | ${mb(peers)} MB | ${(peerWall / wall).toFixed(1)}× |`,
  )
  console.error(rows.at(-1))
  await sim.close()
}

console.log(
  [
    `Plan of a converged GCP layer (${topologyArg}), ${RTT_MS} ms injected per API call, median of ${REPEATS}, mcfed and the refresh peer in turn. Floor = CLI start-up with validation (measured) + one round trip.`,
    '',
    '| clusters | GCP resources | seed apply (0 ms ops) | mcfed calls | mcfed wall | floor | wall / floor | mcfed peak RSS | refresh GETs | refresh wall | refresh peak RSS | refresh / mcfed |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n'),
)
