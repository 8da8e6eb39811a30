// Writes the part of the Google clients' protobuf descriptors that mcfed's clients use: their
// services (for the container client, only the methods mcfed calls) and every message those reach.
// Each client module would otherwise `require` its whole descriptor (compute's is 11.7 MB, 2,000+
// messages) and build protobufjs types for all of it on every start; src/providers/gcp/protos.ts
// hands the clients these instead, when the build has made them.
import {readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(fileURLToPath(import.meta.url), '..', '..')
const require = createRequire(join(root, 'package.json'))

const PRUNED = [
  {
    descriptor: '@google-cloud/compute/build/protos/protos.json',
    out: 'compute-protos.json',
    path: ['google', 'cloud', 'compute', 'v1'],
    // What src/ calls (test/unit/providers/gcp/google-sdk.test.ts checks), plus each kind's Get for
    // bench/refresh-peer.mjs; the clients' other methods would fail if called.
    services: {
      Networks: ['List', 'Get', 'Insert', 'Delete', 'Patch', 'AddPeering', 'RemovePeering', 'UpdatePeering'],
      Subnetworks: ['AggregatedList', 'Get', 'Insert', 'Delete', 'Patch', 'SetPrivateIpGoogleAccess'],
      Firewalls: ['List', 'Get', 'Insert', 'Delete', 'Update'],
      GlobalOperations: ['Wait'],
      RegionOperations: ['Wait'],
      Projects: ['Get', 'SetCommonInstanceMetadata'],
    },
  },
  {
    descriptor: '@google-cloud/container/build/protos/protos.json',
    out: 'container-protos.json',
    path: ['google', 'container', 'v1'],
    // What src/kinds/gcp/cluster.ts calls; the client's other methods would fail if called.
    services: {
      ClusterManager: ['ListClusters', 'GetCluster', 'CreateCluster', 'DeleteCluster', 'UpdateCluster', 'UpdateNodePool', 'SetNodePoolSize', 'SetLabels', 'GetOperation', 'ListOperations'],
    },
  },
]

for (const {descriptor, out, path, services} of PRUNED) {
  const full = JSON.parse(readFileSync(require.resolve(descriptor), 'utf8'))
  const pkg = path.reduce((node, name) => node.nested[name], full)
  const prefix = `.${path.join('.')}.`
  const types = pkg.nested
  const kept = new Set()
  const queue = []
  // Names are package-relative or fully qualified; a nested name keeps its top-level type.
  const want = (name) => {
    const top = (name.startsWith(prefix) ? name.slice(prefix.length) : name.replace(/^\./, '')).split('.')[0]
    if (types[top] && !kept.has(top)) {
      kept.add(top)
      queue.push(top)
    }
  }
  const prunedServices = {}
  for (const [service, methods] of Object.entries(services)) {
    const all = types[service].methods
    const chosen = methods === 'all' ? all : Object.fromEntries(methods.map((m) => [m, all[m] ?? missing(service, m)]))
    prunedServices[service] = {...types[service], methods: chosen}
    kept.add(service)
    for (const m of Object.values(chosen)) {
      want(m.requestType)
      want(m.responseType)
    }
  }
  // A message's fields name top-level types; its own nested types (enums) travel with it.
  const walk = (node) => {
    for (const f of Object.values(node.fields ?? {})) want(f.type)
    for (const n of Object.values(node.nested ?? {})) walk(n)
  }
  while (queue.length > 0) walk(types[queue.shift()])

  // Only the version the clients name: the descriptors also carry beta versions.
  const pruned = structuredClone(full)
  const parent = path.slice(0, -1).reduce((node, name) => node.nested[name], pruned)
  const version = path.at(-1)
  parent.nested = {[version]: {...pkg, nested: Object.fromEntries(Object.entries(types).filter(([name]) => kept.has(name)).map(([name, t]) => [name, prunedServices[name] ?? t]))}}
  writeFileSync(join(root, 'dist', 'providers', 'gcp', out), JSON.stringify(pruned))
}

function missing(service, method) {
  throw new Error(`${service}.${method} is not in the descriptor: the client library changed`)
}
