// Bundles the client libraries' parts mcfed uses into one CommonJS file each, and stores V8's code
// cache of each after a warm-up against a local server that answers every request with an empty
// list (so the cache holds the request and decoding paths too). src/providers/sdk-bundle.ts loads
// them. The Google bundles swap each client package's descriptor for a pruned one
// (scripts/prune-protos.mjs runs first): the list bundle's clients have only the list methods.
import {readFileSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {build} from 'esbuild'

const root = join(fileURLToPath(import.meta.url), '..', '..')
const dist = join(root, 'dist', 'providers')
const {runBundle} = await import(join(dist, 'sdk-bundle.js'))
const {GOOGLE_SDK_MODULES, GOOGLE_SDK_BUNDLE, GOOGLE_LIST_SDK_CLASSES, GOOGLE_LIST_SDK_BUNDLE} = await import(join(dist, 'gcp', 'google-sdk.js'))
const {KUBE_SDK_EXPORTS, KUBE_SDK_BUNDLE} = await import(join(dist, 'kube', 'kube-sdk.js'))

const prunedDescriptors = (variant) => ({
  name: 'pruned-descriptors',
  setup(b) {
    b.onResolve({filter: /\/protos\/protos\.json$/}, ({importer}) => {
      const pkg = ['compute', 'container'].find((p) => importer.includes(`/node_modules/@google-cloud/${p}/`))
      return pkg ? {path: join(dist, 'gcp', `${pkg}${variant}-protos.json`)} : undefined
    })
  },
})

async function bundle(outfile, contents, plugins = []) {
  await build({
    stdin: {contents, resolveDir: root, loader: 'js'},
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    plugins,
    // Strings and identifiers escaped; what is left is comments, escaped below: an ASCII file can
    // be read as latin1, half the cost of decoding UTF-8.
    charset: 'ascii',
    logLevel: 'error',
  })
  const text = readFileSync(outfile, 'utf8')
  writeFileSync(outfile, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
}

async function withEmptyServer(body, warmUp) {
  const server = createServer((_, res) => res.writeHead(200, {'content-type': 'application/json'}).end(body))
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    await warmUp(`127.0.0.1:${server.address().port}`)
  } finally {
    server.close()
  }
}

// Google: the classes, each from its deep path; the list bundle has only the ones that list.
const googleEntry = (names) => names.map((name) => `exports.${name} = require(${JSON.stringify(GOOGLE_SDK_MODULES[name])}).${name}`).join('\n')
const googleClients = (sdk, host) => {
  const authClient = new sdk.OAuth2Client()
  authClient.setCredentials({access_token: 'warm-up'})
  const [hostname, port] = host.split(':')
  return {apiEndpoint: hostname, port: Number(port), protocol: 'http', fallback: true, authClient}
}
const project = 'warm-up'

await bundle(GOOGLE_SDK_BUNDLE.file, googleEntry(Object.keys(GOOGLE_SDK_MODULES)), [prunedDescriptors('')])
await withEmptyServer('{}', async (host) => {
  const {exports: sdk, script} = runBundle(GOOGLE_SDK_BUNDLE, false)
  const options = googleClients(sdk, host)
  const networks = new sdk.NetworksClient(options)
  const clusters = new sdk.ClusterManagerClient(options)
  for (const C of [sdk.SubnetworksClient, sdk.FirewallsClient, sdk.GlobalOperationsClient, sdk.RegionOperationsClient, sdk.ProjectsClient]) await new C(options).close()
  await Promise.all([networks.get({project, network: 'warm-up'}), clusters.getCluster({name: `projects/${project}/locations/l/clusters/warm-up`})])
  await Promise.all([networks, clusters].map((c) => c.close()))
  writeFileSync(GOOGLE_SDK_BUNDLE.codeCache, script.createCachedData())
})

await bundle(GOOGLE_LIST_SDK_BUNDLE.file, googleEntry(GOOGLE_LIST_SDK_CLASSES), [prunedDescriptors('-list')])
await withEmptyServer('{}', async (host) => {
  const {exports: sdk, script} = runBundle(GOOGLE_LIST_SDK_BUNDLE, false)
  const options = googleClients(sdk, host)
  const networks = new sdk.NetworksClient(options)
  const subnetworks = new sdk.SubnetworksClient(options)
  const firewalls = new sdk.FirewallsClient(options)
  const clusters = new sdk.ClusterManagerClient(options)
  await Promise.all([
    networks.list({project}, {autoPaginate: false}),
    subnetworks.aggregatedListAsync({project}, {autoPaginate: false})[Symbol.asyncIterator]().next(),
    firewalls.list({project}, {autoPaginate: false}),
    clusters.listClusters({parent: `projects/${project}/locations/-`}),
  ])
  await Promise.all([networks, subnetworks, firewalls, clusters].map((c) => c.close()))
  writeFileSync(GOOGLE_LIST_SDK_BUNDLE.codeCache, script.createCachedData())
})

// Kubernetes: the named exports of the package index (an ES module; the bundle is CommonJS).
await bundle(KUBE_SDK_BUNDLE.file, `export {${KUBE_SDK_EXPORTS.join(', ')}} from '@kubernetes/client-node'`)
await withEmptyServer('{"kind":"List","apiVersion":"v1","metadata":{},"items":[]}', async (host) => {
  const {exports: sdk, script} = runBundle(KUBE_SDK_BUNDLE, false)
  const kc = new sdk.KubeConfig()
  kc.loadFromOptions({clusters: [{name: 'w', server: `http://${host}`, skipTLSVerify: true}], users: [{name: 'w', token: 'warm-up'}], contexts: [{name: 'w', cluster: 'w', user: 'w'}], currentContext: 'w'})
  const core = kc.makeApiClient(sdk.CoreV1Api)
  const apps = kc.makeApiClient(sdk.AppsV1Api)
  const rbac = kc.makeApiClient(sdk.RbacAuthorizationV1Api)
  kc.makeApiClient(sdk.CustomObjectsApi)
  kc.makeApiClient(sdk.CoordinationV1Api)
  sdk.KubernetesObjectApi.makeApiClient(kc)
  await Promise.all([
    core.listServiceForAllNamespaces({labelSelector: 'warm-up'}),
    core.listNamespacedConfigMap({namespace: 'warm-up', labelSelector: 'warm-up'}),
    core.listSecretForAllNamespaces({labelSelector: 'warm-up'}),
    apps.listDeploymentForAllNamespaces({labelSelector: 'warm-up'}),
    rbac.listClusterRole({labelSelector: 'warm-up'}),
  ])
  writeFileSync(KUBE_SDK_BUNDLE.codeCache, script.createCachedData())
})
