import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, test} from 'vitest'

import type {GoogleSdk} from '../../../../src/providers/gcp/google-sdk.js'
import {runBundle, sdkBundle} from '../../../../src/providers/sdk-bundle.js'

const ROOT = join(import.meta.dirname, '..', '..', '..', '..')
const SRC = join(ROOT, 'src')
/** What the build writes (scripts/bundle-sdks.mjs); the CLI runs from dist/. */
const BUNDLE = sdkBundle(join(ROOT, 'dist', 'providers', 'gcp'), 'google-sdk')

/** Every `clients.<client>.<method>(` in src/: what the pruned descriptors must keep. */
function calledMethods(): Array<[client: string, method: string]> {
  const files = readdirSync(SRC, {recursive: true, encoding: 'utf8'}).filter((f) => f.endsWith('.ts'))
  const calls = files.flatMap((f) => [...readFileSync(join(SRC, f), 'utf8').matchAll(/\bclients\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]!.replace(/Async$/, '')}`))
  return [...new Set(calls)].sort().map((c) => c.split('.') as [string, string])
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
    expect(existsSync(BUNDLE.file), 'run `npm run build` first').toBe(true)
    expect(/[^\x00-\x7f]/.test(readFileSync(BUNDLE.file, 'latin1'))).toBe(false)
  })

  // The descriptors are pruned to the methods mcfed calls: one it starts calling must be kept too
  // (scripts/prune-protos.mjs), or the built CLI fails where the tests running from source pass.
  test('keeps every method src/ calls on the clients', async () => {
    const {exports: sdk} = runBundle<GoogleSdk>(BUNDLE)
    const calls = calledMethods()
    expect(calls.length).toBeGreaterThan(20)
    const authClient = new sdk.OAuth2Client()
    authClient.setCredentials({access_token: 'unused'})
    const missing: string[] = []
    for (const [client, method] of calls) {
      const Client = (sdk as unknown as Record<string, new (o: object) => {initialize(): Promise<Record<string, unknown>>; close(): Promise<void>}>)[CLASSES[client]!]
      if (!Client) throw new Error(`no client class for clients.${client}`)
      const instance = new Client({fallback: true, apiEndpoint: '127.0.0.1', port: 9, protocol: 'http', authClient})
      const stub = await instance.initialize()
      if (typeof stub[method] !== 'function') missing.push(`${client}.${method}`)
      await instance.close()
    }
    expect(missing).toEqual([])
  })
})
