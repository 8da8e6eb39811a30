import type {Attributes, DesiredResource, Json, ObservedResource} from '../../src/graph/resource.js'

/** Plausible live values for attributes known only after apply. */
const LIVE_VALUES: Record<string, Json> = {
  endpoint: '203.0.113.10',
  ca_certificate: 'LS0tLS1CRUdJTi1DRVJUSUZJQ0FURS0tLS0t',
  api_server: 'https://203.0.113.10',
  credentials: 'kubeconfig-with-token-SECRET-CANARY-1f4e',
  gateway_address: '198.51.100.7',
  certificate_fingerprint: 'sha256:1111',
  not_after: '2027-11-21T00:00:00.000Z',
  private_key: '-----BEGIN EC PRIVATE KEY-----SECRET-CANARY-9a8b',
  anchor_fingerprint: 'sha256:aaaa',
  credentials_expire: '2027-03-01T00:00:00.000Z',
}

/** The estate as it would read right after a clean apply of `desired`. */
export function converged(desired: readonly DesiredResource[]): ObservedResource[] {
  return desired.map((r) => {
    const attributes: Record<string, Json> = {...r.attributes}
    for (const k of r.unknown) attributes[k] = LIVE_VALUES[k] ?? `live-${k}`
    // A destination controller's stamp names no Link on the live Deployment: read back, it depends on nothing.
    const dependsOn = r.kind === 'linkerd_destination_credentials' ? [] : r.dependsOn
    return {address: r.address, kind: r.kind, name: r.name, cluster: r.cluster, attributes, owned: true, dependsOn}
  })
}

/** A copy of an observed estate with one resource's attributes changed. */
export function withAttributes(observed: readonly ObservedResource[], address: string, change: Attributes): ObservedResource[] {
  let found = false
  const out = observed.map((o) => {
    if (o.address !== address) return o
    found = true
    return {...o, attributes: {...o.attributes, ...change}}
  })
  if (!found) throw new Error(`no observed ${address}`)
  return out
}
