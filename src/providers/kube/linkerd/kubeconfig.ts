import jsyaml from 'js-yaml'
import {stringify} from 'yaml'

import {ownCopy} from '../../../util/own-copy.js'

/**
 * The kubeconfig inside a Link's credentials Secret: the target's server and CA, and one user
 * whose only credential is the token (no exec plugin: it runs inside the consumer's controllers).
 */
export function linkKubeconfig(o: {link: string; server: string; caPem: string; user: string; token: string}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{name: o.link, cluster: {server: o.server, 'certificate-authority-data': Buffer.from(o.caPem).toString('base64')}}],
    users: [{name: o.user, user: {token: o.token}}],
    contexts: [{name: o.link, context: {cluster: o.link, user: o.user}}],
    'current-context': o.link,
  })
}

type KubeconfigCredentials = Readonly<{server?: string; caPem?: string; token?: string}>

/**
 * The server, CA and token of the current context, or undefined when it is not a kubeconfig.
 * With js-yaml's core schema: the full YAML library took 1.3 ms a kubeconfig, and a plan of 300
 * clusters in islands of 50 reads 14,700 of them. Not remembered: each is read once per listing
 * (see heldGenerations), and a cache would keep every token for the life of the process.
 */
export function kubeconfigCredentials(text: string): KubeconfigCredentials | undefined {
  try {
    const c = jsyaml.load(text, {schema: jsyaml.CORE_SCHEMA}) as {
      'current-context'?: string
      contexts?: {name: string; context?: {cluster?: string; user?: string}}[]
      clusters?: {name: string; cluster?: {server?: string; 'certificate-authority-data'?: string}}[]
      users?: {name: string; user?: {token?: string}}[]
    }
    const ctx = c.contexts?.find((x) => x.name === c['current-context']) ?? c.contexts?.[0]
    const cluster = c.clusters?.find((x) => x.name === ctx?.context?.cluster)?.cluster
    const ca = cluster?.['certificate-authority-data']
    const token = c.users?.find((x) => x.name === ctx?.context?.user)?.user?.token
    return {server: ownCopy(cluster?.server), ...(ca ? {caPem: Buffer.from(ca, 'base64').toString('utf8')} : {}), token}
  } catch {
    return undefined
  }
}
