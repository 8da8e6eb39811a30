/**
 * The incumbent refresh pattern, measured: one GET per resource in the spec's GCP layer, 10 in
 * flight at a time (Terraform's default -parallelism), through the same Google clients mcfed builds
 * (its own createGcpClients, from dist/) against the same endpoint. A peering is refreshed as
 * Terraform's google_compute_network_peering does: by reading its network. Prints one JSON line:
 * {resources, calls, ms} with ms from process start, so start-up counts as it does for mcfed.
 *
 *   MCFED_GCP_ENDPOINT=http://127.0.0.1:PORT node bench/refresh-peer.mjs federation.yaml
 *
 * Needs `npm run build`. bench/plan-scale.ts runs it beside `mcfed plan` on each estate.
 */
import {readFileSync} from 'node:fs'

import {createGcpClients} from '../dist/providers/gcp/client.js'
import {desiredGraph} from '../dist/graph/desired.js'
import {networkProject} from '../dist/graph/topology.js'
import {kindSchema} from '../dist/model/kinds.js'
import {parseSpec} from '../dist/spec/parse.js'

const PARALLELISM = 10
const file = process.argv[2]
const {spec} = parseSpec(file, readFileSync(file, 'utf8'), {})
if (!spec) throw new Error(`${file} is not a valid federation spec`)
const project = spec.spec.gcp.project
const netProject = networkProject(spec)
const clients = createGcpClients({kind: 'sandbox', url: process.env.MCFED_GCP_ENDPOINT})

const get = {
  gcp_network: (a) => clients.networks.get({project: netProject, network: a.name}),
  gcp_peering: (a) => clients.networks.get({project: netProject, network: a.network}),
  gcp_subnetwork: (a) => clients.subnetworks.get({project: netProject, region: a.region, subnetwork: a.name}),
  gcp_firewall: (a) => clients.firewalls.get({project: netProject, firewall: a.name}),
  gke_cluster: (a) => clients.clusters.getCluster({name: `projects/${project}/locations/${a.location}/clusters/${a.name}`}),
}
const resources = desiredGraph(spec).filter((r) => kindSchema(r.kind).layer === 'gcp')
const queue = [...resources]
let calls = 0
async function worker() {
  for (let r = queue.shift(); r; r = queue.shift()) {
    calls++
    await get[r.kind](r.attributes)
  }
}
await Promise.all(Array.from({length: PARALLELISM}, worker))
await clients.close()
console.log(JSON.stringify({resources: resources.length, calls, ms: Math.round(performance.now())}))
