import type {NetworksClient} from '@google-cloud/compute/build/src/v1/networks_client.js'

import {loadGoogleSdk, type GoogleSdk} from './google-sdk.js'

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

export interface GcpClients {
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
  const sdk = loadGoogleSdk()
  const options = clientOptions(sdk, target)
  // Each client is made on first use: a plan never calls the operations or projects clients, and
  // constructing one hashes its package's descriptor and builds its service.
  const makers = {
    networks: () => new sdk.NetworksClient(withoutLibraryRetries(options, 'google.cloud.compute.v1.Networks')),
    subnetworks: () => new sdk.SubnetworksClient(withoutLibraryRetries(options, 'google.cloud.compute.v1.Subnetworks')),
    firewalls: () => new sdk.FirewallsClient(withoutLibraryRetries(options, 'google.cloud.compute.v1.Firewalls')),
    globalOperations: () => new sdk.GlobalOperationsClient(withoutLibraryRetries(options, 'google.cloud.compute.v1.GlobalOperations')),
    regionOperations: () => new sdk.RegionOperationsClient(withoutLibraryRetries(options, 'google.cloud.compute.v1.RegionOperations')),
    projects: () => new sdk.ProjectsClient(withoutLibraryRetries(options, 'google.cloud.compute.v1.Projects')),
    clusters: () => new sdk.ClusterManagerClient(withoutLibraryRetries(options, 'google.container.v1.ClusterManager')),
  } satisfies {[K in Exclude<keyof GcpClients, 'accessToken' | 'close'>]: () => GcpClients[K]}
  const made = new Map<string, {close(): Promise<void>}>()
  const getters = Object.entries(makers).map(([name, make]) => [name, {enumerable: true, get: () => made.get(name) ?? made.set(name, make()).get(name)}])
  const auth = target.kind === 'gcp' ? new sdk.GoogleAuth({scopes: ['https://www.googleapis.com/auth/cloud-platform', 'https://www.googleapis.com/auth/userinfo.email']}) : undefined
  return Object.defineProperties(
    {
      async accessToken() {
        if (!auth) return SANDBOX_TOKEN
        const token = await auth.getAccessToken()
        if (!token) throw new Error('Application Default Credentials gave no access token')
        return token
      },
      async close() {
        await Promise.all([...made.values()].map((c) => c.close()))
      },
    },
    Object.fromEntries(getters),
  ) as unknown as GcpClients
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

function clientOptions({GoogleAuth, OAuth2Client}: GoogleSdk, target: GcpTarget): ClientOptions {
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
