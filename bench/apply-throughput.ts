/**
 * Apply engine throughput against 0 ms operations: the first apply of an N-cluster federation
 * (`mcfed apply --auto-approve --parallelism P`, whole CLI process, fresh simulator each run)
 * beside the simulator's own write capacity measured through the same Google clients at the same
 * concurrency: P workers inserting firewall rules (and waiting for each operation when it is not
 * already done, as mcfed does), with no planning, ordering or locking at all. The engine's rate is
 * resources / (apply wall − wall of `mcfed plan` on the same empty estate): start-up, the Google
 * clients and the read are the plan's, what is left is applying.
 *
 *   npx tsx bench/apply-throughput.ts [--topology=shared|islands|full-mesh] [N] [P ...]   (default: shared 300, P 10 50 200)
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {desiredGraph} from '../src/graph/desired.js'
import {kindSchema} from '../src/model/kinds.js'
import {createGcpClients} from '../src/providers/gcp/client.js'
import {startGcpSimulator} from '../src/sandbox/gcp/server.js'
import {parseSpec} from '../src/spec/parse.js'
import {generateSpec} from '../test/support/generate.js'

const run = promisify(execFile)
const topologyArg = process.argv.find((a) => a.startsWith('--topology='))?.split('=')[1] ?? 'shared'
const topology = topologyArg === 'islands' ? {islandSize: 25} : (topologyArg as 'full-mesh' | 'shared')
const [n = 300, ...parallelisms] = process.argv.slice(2).filter((a) => !a.startsWith('--')).map(Number)
const RAW_WRITES = 600

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const simulator = () => startGcpSimulator({operationMs: 0, clusterOperationMs: 0, waitCapMs: 1_000})

async function cli(args: string[], env: Record<string, string>): Promise<number> {
  const t0 = performance.now()
  await run(process.execPath, ['bin/run.js', ...args], {env: {...process.env, ...env, NO_COLOR: '1'}, maxBuffer: 1 << 28}).catch((e: {code?: number}) => {
    if (e.code !== 2) throw e
  })
  return performance.now() - t0
}

/** P workers, each inserting firewall rules and awaiting each operation: the simulator's write rate. */
async function rawWrites(parallelism: number): Promise<number> {
  const sim = await simulator()
  const clients = createGcpClients({kind: 'sandbox', url: sim.url})
  const project = 'bench'
  await clients.networks.insert({project, networkResource: {name: 'raw', autoCreateSubnetworks: false}})
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({length: parallelism}, async () => {
      for (let i = next++; i < RAW_WRITES; i = next++) {
        const [op] = await clients.firewalls.insert({project, firewallResource: {name: `raw-${i}`, network: 'global/networks/raw', sourceRanges: ['10.0.0.0/8'], allowed: [{IPProtocol: 'tcp'}]}})
        const latest = (op as {latestResponse?: {name?: string; status?: string}}).latestResponse
        if (latest?.name && latest.status !== 'DONE') await clients.globalOperations.wait({project, operation: latest.name})
      }
    }),
  )
  const ms = performance.now() - t0
  await clients.close()
  await sim.close()
  return (RAW_WRITES / ms) * 1000
}

const dir = mkdtempSync(join(tmpdir(), 'mcfed-apply-bench-'))
const spec = join(dir, 'federation.yaml')
const text = generateSpec({clusters: n, topology})
writeFileSync(spec, text)
const resources = desiredGraph(parseSpec(spec, text, {}).spec!).filter((r) => kindSchema(r.kind).layer === 'gcp').length

const rows: string[] = []
for (const p of parallelisms.length ? parallelisms : [10, 50, 200]) {
  const sim = await simulator()
  const env = {MCFED_GCP_ENDPOINT: sim.url, MCFED_LAYERS: 'gcp'}
  const planned = median([await cli(['plan', '-f', spec, '--detailed-exitcode'], env), await cli(['plan', '-f', spec, '--detailed-exitcode'], env), await cli(['plan', '-f', spec, '--detailed-exitcode'], env)])
  sim.resetCalls()
  const wall = await cli(['apply', '-f', spec, '--auto-approve', '--parallelism', String(p)], env)
  const writes = Object.values(sim.calls()).reduce((a, b) => a + b, 0)
  await sim.close()
  const engine = (resources / (wall - planned)) * 1000
  const raw = await rawWrites(p)
  rows.push(`| ${topologyArg} | ${n} | ${resources} | ${p} | ${Math.round(planned)} ms | ${Math.round(wall)} ms | ${writes} | ${Math.round(engine)} | ${Math.round(raw)} | ${(engine / raw).toFixed(2)} |`)
  console.error(rows.at(-1))
}
console.log(
  [
    'First apply against 0 ms operations, one run per row; plan wall = median of 3 plans of the same empty estate.',
    '',
    '| topology | clusters | GCP resources | --parallelism | plan wall | apply wall | API calls (apply) | engine resources/s | simulator writes/s (raw, same P) | engine / raw |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n'),
)
