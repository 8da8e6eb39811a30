// The four list calls of a plan, alone, through a build's list clients: wall per round (each round
// makes the four calls one after another) and the heap left after the last. For comparing two
// builds on one estate:  MCFED_GCP_ENDPOINT=<simulator> node bench/list-decode.mjs [dist dir] [project]
import {resolve} from 'node:path'
import {pathToFileURL} from 'node:url'

const dist = resolve(process.argv[2] ?? 'dist')
const project = process.argv[3] ?? 'scale-project'
const {createGcpClients} = await import(pathToFileURL(`${dist}/providers/gcp/client.js`).href)
const listing = await import(pathToFileURL(`${dist}/providers/gcp/listing.js`).href)
const clients = createGcpClients({kind: 'sandbox', url: process.env.MCFED_GCP_ENDPOINT})
// Builds before the list bundle list through the full clients, without masks.
const lists = clients.lists ?? clients
const mask = (list) => (clients.lists && listing.masked ? listing.masked(list) : {})
const rounds = []
for (let i = 0; i < 8; i++) {
  const t0 = performance.now()
  await lists.networks.list({project}, {autoPaginate: true, ...mask('networks')})
  for await (const _ of lists.subnetworks.aggregatedListAsync({project}, {autoPaginate: false}));
  await lists.firewalls.list({project}, {autoPaginate: true, ...mask('firewalls')})
  await lists.clusters.listClusters({parent: `projects/${project}/locations/-`}, mask('clusters'))
  rounds.push(Math.round(performance.now() - t0))
}
console.log(`${dist}: ${rounds.join(' ')} ms per round; heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`)
process.exit(0)
