import {existsSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname} from 'node:path'
import {fileURLToPath} from 'node:url'
import {constants, Script} from 'node:vm'

import type {FirewallsClient} from '@google-cloud/compute/build/src/v1/firewalls_client.js'
import type {GlobalOperationsClient} from '@google-cloud/compute/build/src/v1/global_operations_client.js'
import type {NetworksClient} from '@google-cloud/compute/build/src/v1/networks_client.js'
import type {ProjectsClient} from '@google-cloud/compute/build/src/v1/projects_client.js'
import type {RegionOperationsClient} from '@google-cloud/compute/build/src/v1/region_operations_client.js'
import type {SubnetworksClient} from '@google-cloud/compute/build/src/v1/subnetworks_client.js'
import type {ClusterManagerClient} from '@google-cloud/container/build/src/v1/cluster_manager_client.js'
import type {GoogleAuth, OAuth2Client} from 'google-auth-library'

/** The classes of the Google SDKs that mcfed uses. */
export interface GoogleSdk {
  readonly FirewallsClient: typeof FirewallsClient
  readonly GlobalOperationsClient: typeof GlobalOperationsClient
  readonly NetworksClient: typeof NetworksClient
  readonly ProjectsClient: typeof ProjectsClient
  readonly RegionOperationsClient: typeof RegionOperationsClient
  readonly SubnetworksClient: typeof SubnetworksClient
  readonly ClusterManagerClient: typeof ClusterManagerClient
  readonly GoogleAuth: typeof GoogleAuth
  readonly OAuth2Client: typeof OAuth2Client
}

/**
 * Where each class comes from. Deep paths: compute's package index loads about a hundred clients
 * (1.3 s); these are all mcfed uses. scripts/bundle-google-sdk.mjs bundles exactly these.
 */
export const GOOGLE_SDK_MODULES: {readonly [K in keyof GoogleSdk]: string} = {
  FirewallsClient: '@google-cloud/compute/build/src/v1/firewalls_client.js',
  GlobalOperationsClient: '@google-cloud/compute/build/src/v1/global_operations_client.js',
  NetworksClient: '@google-cloud/compute/build/src/v1/networks_client.js',
  ProjectsClient: '@google-cloud/compute/build/src/v1/projects_client.js',
  RegionOperationsClient: '@google-cloud/compute/build/src/v1/region_operations_client.js',
  SubnetworksClient: '@google-cloud/compute/build/src/v1/subnetworks_client.js',
  ClusterManagerClient: '@google-cloud/container/build/src/v1/cluster_manager_client.js',
  GoogleAuth: 'google-auth-library',
  OAuth2Client: 'google-auth-library',
}

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)
export const SDK_BUNDLE = `${here}/google-sdk.bundle.cjs`
export const SDK_CODE_CACHE = `${here}/google-sdk.bundle.v8cache`

/**
 * Loading the Google client stack was most of a live command's start-up: some 300 CommonJS
 * modules resolved and compiled one by one, and each client `require`s its package's whole
 * descriptor (compute's is 11.7 MB) to build types for all of it. The build bundles the classes
 * above into one file with descriptors pruned to what mcfed calls, and stores V8's code cache of
 * it; loading that is one read and almost no compiling. Running from source there is no bundle,
 * and the packages load as published.
 */
export function loadGoogleSdk(): GoogleSdk {
  sdk ??= existsSync(SDK_BUNDLE) ? runBundle(SDK_BUNDLE, SDK_CODE_CACHE).sdk : fromPackages()
  return sdk
}
let sdk: GoogleSdk | undefined

function fromPackages(): GoogleSdk {
  const entries = Object.entries(GOOGLE_SDK_MODULES).map(([name, module]) => [name, (require(module) as Record<string, unknown>)[name]])
  return Object.fromEntries(entries) as unknown as GoogleSdk
}

/**
 * Runs the bundle as CommonJS would (same wrapper, its own `require` for Node's built-ins and the
 * few optional lookups bundles leave to run time), with V8's code cache when one was stored. V8
 * checks that the cache matches this source and this V8, and compiles normally when it does not.
 * `script` is returned so that the build can write the cache after a warm-up.
 */
export function runBundle(file: string, cacheFile?: string): {sdk: GoogleSdk; script: Script} {
  // The build writes the bundle in ASCII (scripts/bundle-google-sdk.mjs), where latin1 is the same
  // text and skips UTF-8 decoding.
  const source = readFileSync(file, 'latin1')
  const cachedData = cacheFile && existsSync(cacheFile) ? readFileSync(cacheFile) : undefined
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  })
  const module = {exports: {} as GoogleSdk}
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void
  wrapper(module.exports, createRequire(file), module, file, dirname(file))
  return {sdk: module.exports, script}
}
