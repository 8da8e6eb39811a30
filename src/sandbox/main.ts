/**
 * The sandbox's background process: the GCP API simulator with its state on disk. Started by
 * `mcfed sandbox up`, stopped by `mcfed sandbox down` (SIGTERM).
 */
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import {startGcpSimulator} from './gcp/server.js'
import {sandboxInfoPath, type SandboxInfo} from './paths.js'

const {values} = parseArgs({options: {dir: {type: 'string'}, port: {type: 'string'}, 'operation-ms': {type: 'string'}, 'cluster-operation-ms': {type: 'string'}}})
const dir = values.dir!
const stateFile = join(dir, 'gcp-state.json')
const sim = await startGcpSimulator({
  port: Number(values.port ?? 0),
  stateFile,
  ...(values['operation-ms'] ? {operationMs: Number(values['operation-ms'])} : {}),
  ...(values['cluster-operation-ms'] ? {clusterOperationMs: Number(values['cluster-operation-ms'])} : {}),
})
const info: SandboxInfo = {
  pid: process.pid,
  started_at: new Date().toISOString(),
  gcp: {endpoint: sim.url},
  state_file: stateFile,
  log_file: join(dir, 'sandbox.log'),
  kubeconfig: null,
}
writeFileSync(sandboxInfoPath(dir), JSON.stringify(info, null, 2) + '\n')
process.stdout.write(`mcfed sandbox: GCP API simulator on ${sim.url}\n`)

const stop = async () => {
  await sim.close()
  rmSync(sandboxInfoPath(dir), {force: true})
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())
