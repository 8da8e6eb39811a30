// Writes the part of the Google clients' protobuf descriptors that mcfed's clients use: the methods
// mcfed calls and every message those reach. Each client module would otherwise `require` its whole
// descriptor (compute's is 11.7 MB, 2,000+ messages) and build protobufjs types for all of it on
// every start; scripts/bundle-sdks.mjs bundles the clients with these instead.
//
// List responses are also narrowed: the field holding the listed objects gets a message of only the
// fields mcfed reads (src/providers/gcp/listed-fields.ts, compiled by tsc before this runs), so a
// large plan does not decode and default-fill the dozens of fields it never looks at. The full
// messages stay for every other use (writes, GETs).
import {readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = join(fileURLToPath(import.meta.url), '..', '..')
const require = createRequire(join(root, 'package.json'))
const {LISTED_FIELDS, LISTED_MESSAGES, LISTED_PREFIX} = await import(pathToFileURL(join(root, 'dist', 'providers', 'gcp', 'listed-fields.js')).href)

const PACKAGES = [
  {
    descriptor: '@google-cloud/compute/build/protos/protos.json',
    name: 'compute',
    path: ['google', 'cloud', 'compute', 'v1'],
    // What src/ calls besides the lists (test/unit/providers/gcp/google-sdk.test.ts checks), plus
    // each kind's Get for bench/refresh-peer.mjs; the clients' other methods would fail if called.
    services: {
      Networks: ['Get', 'Insert', 'Delete', 'Patch', 'AddPeering', 'RemovePeering', 'UpdatePeering'],
      Subnetworks: ['Get', 'Insert', 'Delete', 'Patch', 'SetPrivateIpGoogleAccess'],
      Firewalls: ['Get', 'Insert', 'Delete', 'Update'],
      GlobalOperations: ['Wait'],
      RegionOperations: ['Wait'],
      Projects: ['Get', 'SetCommonInstanceMetadata'],
    },
  },
  {
    descriptor: '@google-cloud/container/build/protos/protos.json',
    name: 'container',
    path: ['google', 'container', 'v1'],
    // What src/kinds/gcp/cluster.ts calls besides the list.
    services: {
      ClusterManager: ['GetCluster', 'CreateCluster', 'DeleteCluster', 'UpdateCluster', 'UpdateNodePool', 'SetNodePoolSize', 'SetLabels', 'GetOperation', 'ListOperations'],
    },
  },
]

// Two descriptors per package: one with the list methods only, whose responses hold the listed
// messages (all a plan needs: building a client's types from it is a tenth of the work), and one
// with every other method mcfed calls, on the full messages.
for (const {descriptor, name, path, services} of PACKAGES) {
  const full = JSON.parse(readFileSync(require.resolve(descriptor), 'utf8'))
  const pkg = path.reduce((node, n) => node.nested[n], full)
  const prefix = `.${path.join('.')}.`
  const lists = {}
  for (const {package: of, service, method} of Object.values(LISTED_MESSAGES)) if (of === path.join('.')) (lists[service] ??= []).push(method)
  const types = {...pkg.nested, ...listedMessages(pkg.nested, path.join('.'), prefix)}
  write(full, path, `${name}-protos.json`, pruned(types, prefix, services))
  write(full, path, `${name}-list-protos.json`, pruned(types, prefix, lists))
}

/** The package's types that `services` (service → methods) reach, the services cut to those methods. */
function pruned(types, prefix, services) {
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
    prunedServices[service] = {...types[service], methods: Object.fromEntries(methods.map((m) => [m, all[m] ?? missing(service, m)]))}
    kept.add(service)
    for (const m of Object.values(prunedServices[service].methods)) {
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
  return Object.fromEntries(Object.entries(types).filter(([n]) => kept.has(n)).map(([n, t]) => [n, prunedServices[n] ?? t]))
}

/** The descriptor with only `types` in its package: the descriptors also carry beta versions. */
function write(full, path, out, types) {
  const descriptor = structuredClone(full)
  const parent = path.slice(0, -1).reduce((node, n) => node.nested[n], descriptor)
  const pkg = parent.nested[path.at(-1)]
  parent.nested = {[path.at(-1)]: {...pkg, nested: types}}
  writeFileSync(join(root, 'dist', 'providers', 'gcp', out), JSON.stringify(descriptor))
}

/**
 * For each list of this package: a copy of the listed message (and of each message field it keeps
 * part of) with only the kept fields, and the list response pointing at it. Changed list responses
 * come back with the made messages, to be laid over the package's types.
 */
function listedMessages(types, pkg, prefix) {
  const made = {}
  const trees = new Map()
  const message = (name, tree) => {
    const listedName = LISTED_PREFIX + name
    if (types[listedName]) throw new Error(`${listedName} is already in the descriptor`)
    const seen = trees.get(listedName)
    if (seen !== undefined) {
      if (seen !== JSON.stringify(tree)) throw new Error(`${name} is kept with two different field trees`)
      return listedName
    }
    trees.set(listedName, JSON.stringify(tree))
    const type = types[name] ?? fail(`${name} is not a message of ${pkg}`)
    const fields = {}
    for (const [field, keep] of Object.entries(tree)) {
      const f = type.fields[field] ?? fail(`${name}.${field} is not in the descriptor: src/providers/gcp/listed-fields.ts names a field the client library does not have`)
      fields[field] = keep === true ? f : {...f, type: message(topLevel(f.type, prefix), keep)}
    }
    // A proto3 optional field is its own oneof; protobufjs refuses a oneof naming a missing field.
    const oneofs = Object.fromEntries(
      Object.entries(type.oneofs ?? {})
        .map(([o, {oneof, ...rest}]) => [o, {...rest, oneof: oneof.filter((f) => f in fields)}])
        .filter(([, {oneof}]) => oneof.length > 0),
    )
    made[listedName] = {...type, fields, oneofs}
    return listedName
  }
  for (const [list, {package: of, response, field, message: listed}] of Object.entries(LISTED_MESSAGES)) {
    if (of !== pkg) continue
    const r = types[response] ?? fail(`${response} is not a message of ${pkg}`)
    const f = r.fields[field] ?? fail(`${response}.${field} is not in the descriptor`)
    if (topLevel(f.type, prefix) !== listed) throw new Error(`${response}.${field} holds ${f.type}, not ${listed}`)
    made[response] = {...r, fields: {...r.fields, [field]: {...f, type: message(listed, LISTED_FIELDS[list])}}}
  }
  return made
}

function topLevel(type, prefix) {
  const name = type.startsWith(prefix) ? type.slice(prefix.length) : type.replace(/^\./, '')
  if (name.includes('.')) throw new Error(`${type} is a nested message: keep it whole (true)`)
  return name
}

function fail(message) {
  throw new Error(message)
}

function missing(service, method) {
  throw new Error(`${service}.${method} is not in the descriptor: the client library changed`)
}
