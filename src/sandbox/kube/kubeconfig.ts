import {stringify} from 'yaml'

export interface KubeconfigCluster {
  readonly name: string
  readonly server: string
  readonly caPem: string
  readonly token: string
}

/** One context per cluster, named like the cluster, so `kubectl --context west` works. */
export function kubeconfig(clusters: readonly KubeconfigCluster[], current?: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: clusters.map((c) => ({name: c.name, cluster: {server: c.server, 'certificate-authority-data': Buffer.from(c.caPem).toString('base64')}})),
    users: clusters.map((c) => ({name: `${c.name}-admin`, user: {token: c.token}})),
    contexts: clusters.map((c) => ({name: c.name, context: {cluster: c.name, user: `${c.name}-admin`}})),
    'current-context': current ?? clusters[0]?.name ?? '',
  })
}
