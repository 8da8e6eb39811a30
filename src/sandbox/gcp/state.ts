import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'

/** Plain, JSON-serializable simulator state; every time is epoch milliseconds. */
export interface NetworkPeeringRecord {
  name: string
  /** Peer network as `projects/P/global/networks/N`. */
  network: string
  exchangeSubnetRoutes: boolean
  exportCustomRoutes: boolean
  importCustomRoutes: boolean
}

export interface NetworkRecord {
  id: string
  name: string
  description: string
  autoCreateSubnetworks: boolean
  routingMode: string
  mtu: number
  peerings: NetworkPeeringRecord[]
  created: number
}

export interface SubnetworkRecord {
  id: string
  name: string
  description: string
  region: string
  network: string
  ipCidrRange: string
  secondaryIpRanges: {rangeName: string; ipCidrRange: string}[]
  privateIpGoogleAccess: boolean
  fingerprint: string
  created: number
}

export interface FirewallRecord {
  id: string
  name: string
  description: string
  network: string
  direction: string
  priority: number
  sourceRanges: string[]
  allowed: {IPProtocol: string; ports?: string[]}[]
  disabled: boolean
  created: number
}

export interface NodePoolRecord {
  name: string
  machineType: string
  nodeCount: number
  maxPodsPerNode: number
  locations: string[]
}

export interface ClusterRecord {
  id: string
  name: string
  location: string
  locations: string[]
  network: string
  subnetwork: string
  clusterSecondaryRangeName: string
  servicesSecondaryRangeName: string
  clusterIpv4CidrBlock: string
  servicesIpv4CidrBlock: string
  nodePools: NodePoolRecord[]
  resourceLabels: Record<string, string>
  labelFingerprint: string
  status: 'PROVISIONING' | 'RUNNING' | 'RECONCILING' | 'STOPPING' | 'ERROR'
  endpoint: string
  caCertificate: string
  created: number
}

/** A long-running operation. Effects that happen when it finishes are data, applied by `settle`. */
export interface OperationRecord {
  api: 'compute' | 'container'
  name: string
  id: string
  /** Compute: `global` or `regions/<r>`; container: the location. */
  scope: string
  operationType: string
  targetLink: string
  /** Network names a peering operation holds, for "operation in progress". */
  locks: string[]
  start: number
  /** When it reports DONE; null for a hung operation. */
  doneAt: number | null
  error?: {code: string; message: string; httpStatus: number}
  onDone?: {effect: 'cluster-running' | 'cluster-delete' | 'cluster-reconciled'; location: string; name: string}
}

/** A Secret Manager secret and its versions (payloads base64, as the API carries them). */
export interface SecretRecord {
  name: string
  labels: Record<string, string>
  annotations: Record<string, string>
  /** alias → version number. */
  versionAliases: Record<string, string>
  created: number
  etag: string
  versions: {number: number; state: 'ENABLED' | 'DISABLED' | 'DESTROYED'; data: string | null; created: number; checksummed: boolean}[]
}

export interface ProjectMetadata {
  fingerprint: string
  items: {key: string; value: string}[]
}

export interface SimState {
  version: 1
  nextId: number
  networks: Record<string, NetworkRecord>
  subnetworks: Record<string, SubnetworkRecord>
  firewalls: Record<string, FirewallRecord>
  clusters: Record<string, ClusterRecord>
  operations: Record<string, OperationRecord>
  metadata: ProjectMetadata
  /** requestId → operation key, so a retried mutation returns the original operation. */
  requests: Record<string, string>
  /** Secret Manager: `<project>/<secret id>`. */
  secrets: Record<string, SecretRecord>
}

/** Keys are `<project>/<name>` (global) or `<project>/<region|location>/<name>`. */
export function emptyState(): SimState {
  return {version: 1, nextId: 1_000_000_000_000, networks: {}, subnetworks: {}, firewalls: {}, clusters: {}, operations: {}, metadata: {fingerprint: 'AAAAAAAAAAA=', items: []}, requests: {}, secrets: {}}
}

export function loadState(file: string | undefined): SimState {
  if (!file) return emptyState()
  try {
    return {...emptyState(), ...(JSON.parse(readFileSync(file, 'utf8')) as SimState)}
  } catch {
    return emptyState()
  }
}

/** Writes atomically (temp file, then rename) so a crash never leaves half a state file. */
export function saveState(file: string | undefined, state: SimState): void {
  if (!file) return
  mkdirSync(dirname(file), {recursive: true})
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(state))
  renameSync(tmp, file)
}

export function newId(state: SimState): string {
  state.nextId += 1
  return String(state.nextId)
}
