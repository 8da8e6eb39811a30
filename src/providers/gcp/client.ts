import type {NetworksClient} from '@google-cloud/compute/build/src/v1/networks_client.js'

import {loadGoogleListSdk, loadGoogleSdk, type GoogleListSdk, type GoogleSdk} from './google-sdk.js'

/**
 * The only file that constructs the Google SDKs' clients. Real GCP uses Application Default Credentials;
 * the sandbox uses the REST transport against 127.0.0.1 with a static token.
 */
export type GcpTarget = {readonly kind: 'gcp'} | {readonly kind: 'sandbox'; readonly url: string}

/**
 * The sandbox's bearer token. As on GKE, the same token that authorizes GCP API calls
 * authenticates to the clusters' API servers (the sandbox launches them accepting it).
 */
export const SANDBOX_TOKEN = 'mcfed-sandbox'

/** The clients a read lists through: they have the list methods only, and decode the listed messages. */
export interface GcpListClients {
  readonly networks: Pick<InstanceType<GoogleSdk['NetworksClient']>, 'list'>
  readonly subnetworks: Pick<InstanceType<GoogleSdk['SubnetworksClient']>, 'aggregatedListAsync'>
  readonly firewalls: Pick<InstanceType<GoogleSdk['FirewallsClient']>, 'list'>
  readonly clusters: Pick<InstanceType<GoogleSdk['ClusterManagerClient']>, 'listClusters'>
}

export interface GcpClients {
  readonly lists: GcpListClients
  readonly networks: InstanceType<GoogleSdk['NetworksClient']>
  readonly subnetworks: InstanceType<GoogleSdk['SubnetworksClient']>
  readonly firewalls: InstanceType<GoogleSdk['FirewallsClient']>
  readonly globalOperations: InstanceType<GoogleSdk['GlobalOperationsClient']>
  readonly regionOperations: InstanceType<GoogleSdk['RegionOperationsClient']>
  readonly projects: InstanceType<GoogleSdk['ProjectsClient']>
  readonly clusters: InstanceType<GoogleSdk['ClusterManagerClient']>
  /** A bearer token for cluster API servers: ADC's access token on GCP (refreshed before expiry), the static one on the sandbox. */
  accessToken(): Promise<string>
  close(): Promise<void>
}

export function createGcpClients(target: GcpTarget): GcpClients {
  // Reads and writes come from two bundles (the list one is all a plan loads); they share one set
  // of credentials, made from whichever is loaded first.
  let options: ClientOptions | undefined
  const client = <S extends GoogleListSdk>(load: () => S, name: ClientClass & keyof S) => () => {
    const sdk = load()
    options ??= clientOptions(sdk, target)
    const Client = sdk[name] as unknown as new (o: ClientOptions) => Closable
    return new Client(withoutLibraryRetries(options, SERVICES[name]))
  }
  // Each client is made on first use: a plan never calls the operations or projects clients, and
  // constructing one builds its package's types.
  const lists = {
    networks: client(loadGoogleListSdk, 'NetworksClient'),
    subnetworks: client(loadGoogleListSdk, 'SubnetworksClient'),
    firewalls: client(loadGoogleListSdk, 'FirewallsClient'),
    clusters: client(loadGoogleListSdk, 'ClusterManagerClient'),
  } satisfies Record<keyof GcpListClients, unknown>
  const all = {
    networks: client(loadGoogleSdk, 'NetworksClient'),
    subnetworks: client(loadGoogleSdk, 'SubnetworksClient'),
    firewalls: client(loadGoogleSdk, 'FirewallsClient'),
    globalOperations: client(loadGoogleSdk, 'GlobalOperationsClient'),
    regionOperations: client(loadGoogleSdk, 'RegionOperationsClient'),
    projects: client(loadGoogleSdk, 'ProjectsClient'),
    clusters: client(loadGoogleSdk, 'ClusterManagerClient'),
  } satisfies Record<Exclude<keyof GcpClients, 'lists' | 'accessToken' | 'close'>, unknown>
  const made = new Map<string, Closable>()
  const lazily = (prefix: string, table: Record<string, () => Closable>) =>
    Object.fromEntries(Object.entries(table).map(([name, make]) => [name, {enumerable: true, get: () => made.get(prefix + name) ?? made.set(prefix + name, make()).get(prefix + name)}]))
  let auth: InstanceType<GoogleSdk['GoogleAuth']> | undefined
  return Object.defineProperties(
    {
      lists: Object.defineProperties({}, lazily('lists.', lists)),
      async accessToken() {
        if (target.kind !== 'gcp') return SANDBOX_TOKEN
        auth ??= new (loadGoogleListSdk().GoogleAuth)({scopes: ['https://www.googleapis.com/auth/cloud-platform', 'https://www.googleapis.com/auth/userinfo.email']})
        const token = await auth.getAccessToken()
        if (!token) throw new Error('Application Default Credentials gave no access token')
        return token
      },
      async close() {
        await Promise.all([...made.values()].map((c) => c.close()))
      },
    },
    lazily('', all),
  ) as unknown as GcpClients
}

type ClientClass = Exclude<keyof GoogleSdk, 'GoogleAuth' | 'OAuth2Client'>

const SERVICES: {readonly [K in ClientClass]: string} = {
  NetworksClient: 'google.cloud.compute.v1.Networks',
  SubnetworksClient: 'google.cloud.compute.v1.Subnetworks',
  FirewallsClient: 'google.cloud.compute.v1.Firewalls',
  GlobalOperationsClient: 'google.cloud.compute.v1.GlobalOperations',
  RegionOperationsClient: 'google.cloud.compute.v1.RegionOperations',
  ProjectsClient: 'google.cloud.compute.v1.Projects',
  ClusterManagerClient: 'google.container.v1.ClusterManager',
}

interface Closable {
  close(): Promise<void>
}

/**
 * Retrying is mcfed's (withRetry: its classification, Retry-After, per-minute quotas). The
 * libraries' own configuration retries idempotent calls on UNAVAILABLE and DEADLINE_EXCEEDED for up
 * to ten minutes, which would multiply with mcfed's attempts; emptying its retry codes turns that off.
 */
function withoutLibraryRetries(options: ClientOptions, service: string): ClientOptions {
  const clientConfig = {interfaces: {[service]: {retry_codes: {idempotent: [], non_idempotent: []}}}}
  return {...options, clientConfig} as unknown as ClientOptions
}

type ClientOptions = NonNullable<ConstructorParameters<typeof NetworksClient>[0]>

export function clientOptions({GoogleAuth, OAuth2Client}: Pick<GoogleListSdk, 'GoogleAuth' | 'OAuth2Client'>, target: GcpTarget): ClientOptions {
  if (target.kind === 'gcp') {
    // ClusterManagerClient defaults to gRPC; REST keeps both clients on one transport and error shape.
    return {fallback: true, auth: new GoogleAuth({scopes: ['https://www.googleapis.com/auth/cloud-platform']}) as ClientOptions['auth']}
  }
  const url = new URL(target.url)
  const authClient = new OAuth2Client()
  // No expiry: a static token never counts as expiring, so the client never tries to refresh it.
  authClient.setCredentials({access_token: SANDBOX_TOKEN})
  return {apiEndpoint: url.hostname, port: Number(url.port), protocol: url.protocol.replace(':', ''), fallback: true, authClient} as ClientOptions
}
