import {KubeConfig} from '@kubernetes/client-node'

import type {KubeconfigCluster} from './kubeconfig.js'

/** A client configuration for one sandbox API server, as its admin (what the sandbox's own helpers act as). */
export function adminConfig(o: KubeconfigCluster): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromOptions({
    clusters: [{name: o.name, server: o.server, caData: Buffer.from(o.caPem).toString('base64'), skipTLSVerify: false}],
    users: [{name: o.name, token: o.token}],
    contexts: [{name: o.name, cluster: o.name, user: o.name}],
    currentContext: o.name,
  })
  return kc
}
