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
    `    peeringLimit: ${Math.max(25, n)}`,
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
  lines.push('  peering: full-mesh', '  links: full-mesh', '  services:')
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
