import {createRequire} from 'node:module'
import {dirname} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {FirewallsClient} from '@google-cloud/compute/build/src/v1/firewalls_client.js'
import type {GlobalOperationsClient} from '@google-cloud/compute/build/src/v1/global_operations_client.js'
import type {NetworksClient} from '@google-cloud/compute/build/src/v1/networks_client.js'
import type {ProjectsClient} from '@google-cloud/compute/build/src/v1/projects_client.js'
import type {RegionOperationsClient} from '@google-cloud/compute/build/src/v1/region_operations_client.js'
import type {SubnetworksClient} from '@google-cloud/compute/build/src/v1/subnetworks_client.js'
import type {ClusterManagerClient} from '@google-cloud/container/build/src/v1/cluster_manager_client.js'
import type {GoogleAuth, OAuth2Client} from 'google-auth-library'

import {bundleBuilt, runBundle, sdkBundle} from '../sdk-bundle.js'

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
 * (1.3 s); these are all mcfed uses. scripts/bundle-sdks.mjs bundles exactly these.
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

const require = createRequire(import.meta.url)
export const GOOGLE_SDK_BUNDLE = sdkBundle(dirname(fileURLToPath(import.meta.url)), 'google-sdk')

/**
 * The build bundles the classes above (scripts/bundle-sdks.mjs) with each client package's
 * descriptor pruned to the methods mcfed calls: compute's whole one is 11.7 MB, and every client
 * built protobufjs types for all of it. Running from source there is no bundle, and the packages
 * load as published.
 */
export function loadGoogleSdk(): GoogleSdk {
  sdk ??= bundleBuilt(GOOGLE_SDK_BUNDLE) ? runBundle<GoogleSdk>(GOOGLE_SDK_BUNDLE).exports : fromPackages()
  return sdk
}
let sdk: GoogleSdk | undefined

function fromPackages(): GoogleSdk {
  const entries = Object.entries(GOOGLE_SDK_MODULES).map(([name, module]) => [name, (require(module) as Record<string, unknown>)[name]])
  return Object.fromEntries(entries) as unknown as GoogleSdk
}
