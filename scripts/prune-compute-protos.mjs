// Writes the part of compute's 11.7 MB protobuf descriptor that mcfed's six compute clients use:
// their services and every message they reach. Each client would otherwise build protobufjs types
// for all of Compute Engine (2,000+ messages) on every start; the pruned one is what
// src/providers/gcp/protos.ts hands them instead, when the build has made it.
import {readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(fileURLToPath(import.meta.url), '..', '..')
const require = createRequire(join(root, 'package.json'))
const full = JSON.parse(readFileSync(require.resolve('@google-cloud/compute/build/protos/protos.json'), 'utf8'))
const SERVICES = ['Networks', 'Subnetworks', 'Firewalls', 'GlobalOperations', 'RegionOperations', 'Projects']

const v1 = full.nested.google.nested.cloud.nested.compute.nested.v1
const types = v1.nested
const kept = new Set()
const queue = []
const want = (name) => {
  const top = name.replace(/^\.?google\.cloud\.compute\.v1\./, '').split('.')[0]
  if (types[top] && !kept.has(top)) {
    kept.add(top)
    queue.push(top)
  }
}
for (const s of SERVICES) {
  kept.add(s)
  for (const m of Object.values(types[s].methods)) {
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

const pruned = structuredClone(full)
// Only v1: the descriptor also carries v1beta, which no client of mcfed's names.
const compute = pruned.nested.google.nested.cloud.nested.compute
compute.nested = {v1: {...compute.nested.v1, nested: Object.fromEntries(Object.entries(types).filter(([name]) => kept.has(name)))}}
writeFileSync(join(root, 'dist', 'providers', 'gcp', 'compute-protos.json'), JSON.stringify(pruned))
