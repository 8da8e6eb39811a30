import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {createGcpClients, type GcpClients} from '../../src/providers/gcp/client.js'
import {startGcpSimulator, type GcpSimulator} from '../../src/sandbox/gcp/server.js'
import {mcfedAsync, startMcfed, type CliResult} from './cli.js'

export interface SimFixture {
  readonly sim: GcpSimulator
  readonly clients: GcpClients
  readonly dir: string
  readonly spec: string
  /** Runs the CLI against this simulator (never synchronously: the simulator lives in this process). */
  run(args: readonly string[], env?: Record<string, string>): Promise<CliResult>
  start(args: readonly string[], env?: Record<string, string>): ReturnType<typeof startMcfed>
  /** Writes a variant of the spec and returns its path. */
  writeSpec(name: string, transform: (text: string) => string): string
  close(): Promise<void>
}

/** A fresh simulator with fast operations, a copy of the three-region spec, and real clients. */
export async function simFixture(opts: {operationMs?: number; clusterOperationMs?: number; waitCapMs?: number} = {}): Promise<SimFixture> {
  const sim = await startGcpSimulator({operationMs: opts.operationMs ?? 20, clusterOperationMs: opts.clusterOperationMs ?? 100, waitCapMs: opts.waitCapMs ?? 500})
  const dir = mkdtempSync(join(tmpdir(), 'mcfed-sim-'))
  const base = readFileSync('examples/three-region/federation.yaml', 'utf8')
  const spec = join(dir, 'federation.yaml')
  writeFileSync(spec, base)
  const clients = createGcpClients({kind: 'sandbox', url: sim.url})
  // This simulator has no API servers behind its clusters: these tests plan the GCP layer only.
  const env = {MCFED_GCP_ENDPOINT: sim.url, MCFED_LAYERS: 'gcp'}
  return {
    sim,
    clients,
    dir,
    spec,
    run: (args, extra = {}) => mcfedAsync(args, {...env, ...extra}),
    start: (args, extra = {}) => startMcfed(args, {...env, ...extra}),
    writeSpec(name, transform) {
      const path = join(dir, name)
      writeFileSync(path, transform(base))
      return path
    },
    async close() {
      await clients.close()
      await sim.close()
    },
  }
}
