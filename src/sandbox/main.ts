/**
 * The sandbox's background process: the GCP API simulator with its state on disk and, per GKE
 * cluster it holds, a real kube-apiserver. Started by `mcfed sandbox up`, stopped by
 * `mcfed sandbox down` (SIGTERM).
 */
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import {startGcpSimulator} from './gcp/server.js'
import {KubeFleet} from './kube/fleet.js'
import {cachedControllerLookup} from './linkerd/binaries.js'
import {sandboxInfoPath, type SandboxInfo} from './paths.js'

const {values} = parseArgs({
  options: {
    dir: {type: 'string'},
    port: {type: 'string'},
    'kube-bin': {type: 'string'},
    linkerd: {type: 'boolean', default: false},
    'operation-ms': {type: 'string'},
    'cluster-operation-ms': {type: 'string'},
  },
})
const dir = values.dir!
const stateFile = join(dir, 'gcp-state.json')
const fleet = values['kube-bin'] ? new KubeFleet(values['kube-bin'], dir, values.linkerd ? cachedControllerLookup() : undefined) : undefined
const sim = await startGcpSimulator({
  port: Number(values.port ?? 0),
  stateFile,
  ...(values['operation-ms'] ? {operationMs: Number(values['operation-ms'])} : {}),
  ...(values['cluster-operation-ms'] ? {clusterOperationMs: Number(values['cluster-operation-ms'])} : {}),
  ...(fleet
    ? {onClusterCreated: (_p: string, _l: string, name: string, podCidr: string) => fleet.start(name, {podCidr}), onClusterDeleted: (_p: string, _l: string, name: string) => fleet.delete(name)}
    : {}),
})
// Clusters kept from an earlier run get their API servers back, with their etcd data.
if (fleet) await sim.reattachClusters((_p, _l, name, podCidr) => fleet.start(name, {podCidr}))
const info: SandboxInfo = {
  pid: process.pid,
  started_at: new Date().toISOString(),
  gcp: {endpoint: sim.url},
  state_file: stateFile,
  log_file: join(dir, 'sandbox.log'),
  kubeconfig: fleet ? fleet.kubeconfigPath : null,
  linkerd_controllers: fleet !== undefined && values.linkerd,
}
writeFileSync(sandboxInfoPath(dir), JSON.stringify(info, null, 2) + '\n')
process.stdout.write(`mcfed sandbox: GCP API simulator on ${sim.url}\n`)

const stop = async () => {
  await sim.close()
  await fleet?.stopAll()
  rmSync(sandboxInfoPath(dir), {force: true})
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())
