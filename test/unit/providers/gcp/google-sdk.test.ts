import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, test} from 'vitest'

import type {GoogleSdk} from '../../../../src/providers/gcp/google-sdk.js'
import {LISTED_FIELDS, LISTED_MESSAGES, LISTED_PREFIX} from '../../../../src/providers/gcp/listed-fields.js'
import {runBundle, sdkBundle} from '../../../../src/providers/sdk-bundle.js'

const ROOT = join(import.meta.dirname, '..', '..', '..', '..')
const SRC = join(ROOT, 'src')
/** What the build writes (scripts/bundle-sdks.mjs); the CLI runs from dist/. */
const BUNDLE = sdkBundle(join(ROOT, 'dist', 'providers', 'gcp'), 'google-sdk')
const LIST_BUNDLE = sdkBundle(join(ROOT, 'dist', 'providers', 'gcp'), 'google-sdk-lists')

/** Every `clients.<client>.<method>(` in src/ (`clients.lists.<client>.<method>(` for the list bundle): what the pruned descriptors must keep. */
function calledMethods(): Array<[bundle: 'lists' | 'all', client: string, method: string]> {
  const files = readdirSync(SRC, {recursive: true, encoding: 'utf8'}).filter((f) => f.endsWith('.ts'))
  const calls = files.flatMap((f) =>
    [...readFileSync(join(SRC, f), 'utf8').matchAll(/\bclients\.(lists\.)?(\w+)\.(\w+)\(/g)].map((m) => `${m[1] ? 'lists' : 'all'}.${m[2]}.${m[3]!.replace(/Async$/, '')}`),
  )
  return [...new Set(calls)].sort().map((c) => c.split('.') as ['lists' | 'all', string, string])
}

const CLASSES: Record<string, string> = {
  networks: 'NetworksClient',
  subnetworks: 'SubnetworksClient',
  firewalls: 'FirewallsClient',
  globalOperations: 'GlobalOperationsClient',
  regionOperations: 'RegionOperationsClient',
  projects: 'ProjectsClient',
  clusters: 'ClusterManagerClient',
}

describe('the built Google SDK bundle', () => {
  test('exists after the build, in ASCII (it is read as latin1)', () => {
    for (const bundle of [BUNDLE, LIST_BUNDLE]) {
      expect(existsSync(bundle.file), 'run `npm run build` first').toBe(true)
      expect(/[^\x00-\x7f]/.test(readFileSync(bundle.file, 'latin1'))).toBe(false)
    }
  })

  // The descriptors are pruned to the methods mcfed calls: one it starts calling must be kept too
  // (scripts/prune-protos.mjs), or the built CLI fails where the tests running from source pass.
  test('keeps every method src/ calls on the clients', async () => {
    const sdks = {all: runBundle<GoogleSdk>(BUNDLE).exports, lists: runBundle<GoogleSdk>(LIST_BUNDLE).exports}
    const calls = calledMethods()
    expect(calls.length).toBeGreaterThan(20)
    expect(calls.filter(([bundle]) => bundle === 'lists').length).toBe(4)
    const missing: string[] = []
    for (const [bundle, client, method] of calls) {
      const sdk = sdks[bundle]
      const authClient = new sdk.OAuth2Client()
      authClient.setCredentials({access_token: 'unused'})
      const Client = (sdk as unknown as Record<string, new (o: object) => {initialize(): Promise<Record<string, unknown>>; close(): Promise<void>}>)[CLASSES[client]!]
      if (!Client) throw new Error(`no client class for clients.${client} in the ${bundle} bundle`)
      const instance = new Client({fallback: true, apiEndpoint: '127.0.0.1', port: 9, protocol: 'http', authClient})
      const stub = await instance.initialize()
      if (typeof stub[method] !== 'function') missing.push(`${bundle}: ${client}.${method}`)
      await instance.close()
    }
    expect(missing).toEqual([])
  })
})

// List responses decode into messages of only the fields mcfed reads (src/providers/gcp/listed-fields.ts);
// every other call keeps the full messages.
describe('the listed messages of the built bundles', () => {
  const peering = {name: 'a-b', network: 'https://x/global/networks/b', state: 'ACTIVE', stateDetails: 'Connected.', exportCustomRoutes: true, peerMtu: 1460, stackType: 'IPV4_ONLY'}
  const network = {
    kind: 'compute#network',
    id: '1000',
    name: 'a',
    description: 'managed by mcfed',
    mtu: 1460,
    routingConfig: {routingMode: 'REGIONAL', bgpBestPathSelectionMode: 'LEGACY'},
    subnetworks: ['https://x/regions/r/subnetworks/a'],
    networkFirewallPolicyEnforcementOrder: 'AFTER_CLASSIC_FIREWALL',
    peerings: [peering],
  }
  let server: Server
  let port = 0
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(req.url!.includes('/networks/a') ? network : {kind: 'compute#networkList', items: [network]}))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  // toObject names each set proto3 optional field's oneof (`_name: 'name'`); those are not fields.
  const withoutOneofNames = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(withoutOneofNames)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('_')).map(([k, v]) => [k, withoutOneofNames(v)]))
        : value

  const networksClient = (bundle: typeof BUNDLE) => {
    const {exports: sdk} = runBundle<GoogleSdk>(bundle)
    const authClient = new sdk.OAuth2Client()
    authClient.setCredentials({access_token: 'unused'})
    return new sdk.NetworksClient({fallback: true, apiEndpoint: '127.0.0.1', port, protocol: 'http', authClient})
  }

  test('a list keeps exactly the fields the tree names, nested ones included', async () => {
    const client = networksClient(LIST_BUNDLE)
    const [[listed]] = await client.list({project: 'p'}, {autoPaginate: true})
    await client.close()
    expect(withoutOneofNames(listed)).toEqual({
      name: 'a',
      description: 'managed by mcfed',
      mtu: 1460,
      routingConfig: {routingMode: 'REGIONAL'},
      peerings: [{name: 'a-b', network: 'https://x/global/networks/b', state: 'ACTIVE', exportCustomRoutes: true}],
    })
  })

  test('a GET of the same object (in the other bundle) keeps every field', async () => {
    const client = networksClient(BUNDLE)
    const [got] = await client.get({project: 'p', network: 'a'})
    await client.close()
    expect(got).toMatchObject({...network, peerings: [peering]})
  })

  test('the descriptors hold a listed message for each list, with the fields of its tree', () => {
    for (const [list, {package: pkg, response, field, message}] of Object.entries(LISTED_MESSAGES)) {
      const file = pkg.startsWith('google.container') ? 'container-list-protos.json' : 'compute-list-protos.json'
      const types = pkg.split('.').reduce((node, name) => node.nested[name], JSON.parse(readFileSync(join(ROOT, 'dist', 'providers', 'gcp', file), 'utf8'))).nested
      expect(types[response].fields[field].type, list).toBe(`${LISTED_PREFIX}${message}`)
      const fieldsOf = (tree: object): unknown => Object.fromEntries(Object.entries(tree).map(([f, keep]) => [f, keep === true ? true : fieldsOf(keep as object)]))
      const shape = (name: string): unknown =>
        Object.fromEntries(Object.entries(types[name].fields as Record<string, {type: string}>).map(([f, {type}]) => [f, type.startsWith(LISTED_PREFIX) ? shape(type) : true]))
      expect(shape(`${LISTED_PREFIX}${message}`), list).toEqual(fieldsOf(LISTED_FIELDS[list as keyof typeof LISTED_FIELDS]))
    }
  })
})
