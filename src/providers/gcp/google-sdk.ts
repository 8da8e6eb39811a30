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

/** The classes a read needs: the three compute clients that list, GKE's, and the credentials. */
export const GOOGLE_LIST_SDK_CLASSES = ['NetworksClient', 'SubnetworksClient', 'FirewallsClient', 'ClusterManagerClient', 'GoogleAuth', 'OAuth2Client'] as const

/** Those classes, as the list bundle has them: their clients have only the list methods (and decode the listed messages). */
export type GoogleListSdk = Pick<GoogleSdk, (typeof GOOGLE_LIST_SDK_CLASSES)[number]>

const require = createRequire(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))
export const GOOGLE_SDK_BUNDLE = sdkBundle(here, 'google-sdk')
export const GOOGLE_LIST_SDK_BUNDLE = sdkBundle(here, 'google-sdk-lists')

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

/**
 * The classes for reading, from the list bundle: a plan makes only list calls, and building its
 * clients' types from descriptors of the list methods alone takes a tenth of the time. From
 * source, the packages as published (whose clients have every method).
 */
export function loadGoogleListSdk(): GoogleListSdk {
  listSdk ??= bundleBuilt(GOOGLE_LIST_SDK_BUNDLE) ? runBundle<GoogleListSdk>(GOOGLE_LIST_SDK_BUNDLE).exports : fromPackages()
  return listSdk
}
let listSdk: GoogleListSdk | undefined

function fromPackages(): GoogleSdk {
  const entries = Object.entries(GOOGLE_SDK_MODULES).map(([name, module]) => [name, (require(module) as Record<string, unknown>)[name]])
  return Object.fromEntries(entries) as unknown as GoogleSdk
}
