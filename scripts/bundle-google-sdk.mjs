// Bundles the Google SDK classes mcfed uses into one CommonJS file, with each client package's
// descriptor replaced by the pruned one (scripts/prune-protos.mjs runs first), and stores V8's code
// cache of it after a warm-up: constructing the clients and one list call each against a local
// server that answers every request with an empty list. src/providers/gcp/google-sdk.ts loads it.
import {readFileSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {build} from 'esbuild'

const root = join(fileURLToPath(import.meta.url), '..', '..')
const gcpDist = join(root, 'dist', 'providers', 'gcp')
const {GOOGLE_SDK_MODULES, SDK_BUNDLE, SDK_CODE_CACHE, runBundle} = await import(join(gcpDist, 'google-sdk.js'))

const PRUNED = {'@google-cloud/compute': 'compute-protos.json', '@google-cloud/container': 'container-protos.json'}
const prunedDescriptors = {
  name: 'pruned-descriptors',
  setup(b) {
    b.onResolve({filter: /\/protos\/protos\.json$/}, ({importer}) => {
      const pkg = Object.keys(PRUNED).find((p) => importer.includes(`/node_modules/${p}/`))
      return pkg ? {path: join(gcpDist, PRUNED[pkg])} : undefined
    })
  },
}

await build({
  stdin: {
    contents: Object.entries(GOOGLE_SDK_MODULES).map(([name, module]) => `exports.${name} = require(${JSON.stringify(module)}).${name}`).join('\n'),
    resolveDir: root,
    loader: 'js',
  },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: SDK_BUNDLE,
  plugins: [prunedDescriptors],
  // Strings and identifiers escaped; what is left is comments, escaped below: an ASCII file can be
  // read as latin1, which is half the cost of decoding UTF-8 (google-sdk.ts).
  charset: 'ascii',
  logLevel: 'error',
})
const bundled = readFileSync(SDK_BUNDLE, 'utf8')
writeFileSync(SDK_BUNDLE, bundled.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))

const server = createServer((_, res) => res.writeHead(200, {'content-type': 'application/json'}).end('{}'))
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
try {
  const {sdk, script} = runBundle(SDK_BUNDLE)
  const authClient = new sdk.OAuth2Client()
  authClient.setCredentials({access_token: 'warm-up'})
  const options = {apiEndpoint: '127.0.0.1', port: server.address().port, protocol: 'http', fallback: true, authClient}
  const project = 'warm-up'
  const networks = new sdk.NetworksClient(options)
  const subnetworks = new sdk.SubnetworksClient(options)
  const firewalls = new sdk.FirewallsClient(options)
  const clusters = new sdk.ClusterManagerClient(options)
  for (const C of [sdk.GlobalOperationsClient, sdk.RegionOperationsClient, sdk.ProjectsClient]) await new C(options).close()
  await Promise.all([
    networks.list({project}, {autoPaginate: false}),
    subnetworks.aggregatedListAsync({project}, {autoPaginate: false})[Symbol.asyncIterator]().next(),
    firewalls.list({project}, {autoPaginate: false}),
    clusters.listClusters({parent: `projects/${project}/locations/-`}),
  ])
  await Promise.all([networks, subnetworks, firewalls, clusters].map((c) => c.close()))
  writeFileSync(SDK_CODE_CACHE, script.createCachedData())
} finally {
  server.close()
}
