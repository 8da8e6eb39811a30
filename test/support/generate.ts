/**
 * Synthetic full-mesh federations of N clusters for scale tests and benchmarks. Ranges are carved
 * so that nothing overlaps up to thousands of clusters: subnets /24 from 10.0.0.0/12, services /24
 * from 10.128.0.0/12, pods /18 from 100.64.0.0/10.
 */
export interface GenerateOptions {
  readonly clusters: number
  /** Gateway-mode services exported from the first cluster; the rest link to it through -gw. */
  readonly gatewayServices?: number
  readonly flatServices?: number
  /**
   * `full-mesh` (default): every network peered with every other, links in every direction.
   * `shared`: one VPC, no peering; each cluster flat-links to the next (a ring).
   * `{islandSize}`: peering full-mesh inside islands of that many clusters, a flat-link ring inside
   * each island, islands joined only through the gateway links of gateway-mode services.
   * `{linkIslands}`: one VPC; flat links in every direction inside islands of that many clusters
   * (300 clusters in islands of 50: 14,700 Links), islands joined through gateway links.
   */
  readonly topology?: 'full-mesh' | 'shared' | {readonly islandSize: number} | {readonly linkIslands: number}
}

const REGIONS = ['us-central1', 'us-east1', 'europe-west1', 'asia-east1', 'us-west1', 'europe-west4']

export function clusterName(i: number): string {
  return `c${String(i).padStart(3, '0')}`
}

export function generateSpec(o: GenerateOptions): string {
  const n = o.clusters
  const lines = [
    'apiVersion: mcfed.io/v1alpha1',
    'kind: Federation',
    'metadata:',
    '  name: scale',
    'spec:',
    '  gcp:',
    '    project: scale-project',
    ...(o.topology === 'shared' || (typeof o.topology === 'object' && 'linkIslands' in o.topology) ? ['    network: shared'] : typeof o.topology === 'object' ? [] : [`    peeringLimit: ${Math.max(25, n)}`]),
    '  linkerd:',
    '    version: "2.18"',
    '    trustAnchor: {certFile: certs/root.crt, keyFile: certs/root.key}',
    '    issuer: {validity: 8760h, renewBefore: 720h}',
    '  clusters:',
  ]
  for (let i = 0; i < n; i++) {
    const region = REGIONS[i % REGIONS.length]!
    lines.push(
      `    ${clusterName(i)}:`,
      `      region: ${region}`,
      `      zone: ${region}-b`,
      '      machineType: e2-medium',
      '      nodeCount: 1',
      `      network: {subnet: ${ipv4(0x0a000000 + i * 256)}/24, pods: ${ipv4(0x64400000 + i * 16384)}/18, services: ${ipv4(0x0a800000 + i * 256)}/24}`,
    )
  }
  lines.push(...topologyLines(n, o.topology ?? 'full-mesh'), '  services:')
  for (let s = 0; s < (o.flatServices ?? 1); s++) {
    lines.push(`    flat${s}:`, '      namespace: apps', '      mode: flat', `      clusters: [${clusterName(0)}, ${clusterName(Math.min(1, n - 1))}]`)
  }
  for (let s = 0; s < (o.gatewayServices ?? 1); s++) {
    lines.push(`    gw${s}:`, '      namespace: apps', '      mode: gateway', `      clusters: [${clusterName(0)}]`)
  }
  return lines.join('\n') + '\n'
}

function ipv4(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')
}

function topologyLines(n: number, topology: NonNullable<GenerateOptions['topology']>): string[] {
  if (topology === 'full-mesh') return ['  peering: full-mesh', '  links: full-mesh']
  if (typeof topology === 'object' && 'linkIslands' in topology) {
    const out = ['  links:']
    for (let start = 0; start < n; start += topology.linkIslands) {
      const end = Math.min(n, start + topology.linkIslands)
      for (let a = start; a < end; a++) for (let b = start; b < end; b++) if (a !== b) out.push(`    - {from: ${clusterName(a)}, to: ${clusterName(b)}, mode: flat}`)
    }
    return out
  }
  const size = topology === 'shared' ? n : topology.islandSize
  const out: string[] = []
  if (topology !== 'shared') {
    out.push('  peering:')
    for (let start = 0; start < n; start += size) {
      const end = Math.min(n, start + size)
      for (let a = start; a < end; a++) for (let b = a + 1; b < end; b++) out.push(`    - [${clusterName(a)}, ${clusterName(b)}]`)
    }
  }
  out.push('  links:')
  for (let start = 0; start < n; start += size) {
    const end = Math.min(n, start + size)
    if (end - start < 2) continue
    for (let a = start; a < end; a++) out.push(`    - {from: ${clusterName(a)}, to: ${clusterName(a + 1 < end ? a + 1 : start)}, mode: flat}`)
  }
  return out
}
