import type {V1Secret} from '@kubernetes/client-node'

import {linkKubeconfig} from '../../src/providers/kube/linkerd/kubeconfig.js'

/** mcfed's ownership labels for the example federation. */
export const owner = {'app.kubernetes.io/managed-by': 'mcfed', 'mcfed.io/federation': 'mc-demo'}

/** A token shaped as the TokenRequest API issues them, bound to a Secret (only the claims matter here). */
export function boundToken(o: {expires: string; serviceAccount: string; saUid?: string; boundSecret?: string; boundUid?: string}): string {
  const claims = {
    exp: Date.parse(o.expires) / 1000,
    sub: `system:serviceaccount:linkerd-multicluster:${o.serviceAccount}`,
    'kubernetes.io': {
      namespace: 'linkerd-multicluster',
      serviceaccount: {name: o.serviceAccount, uid: o.saUid ?? 'sa-uid-1'},
      ...(o.boundSecret ? {secret: {name: o.boundSecret, uid: o.boundUid ?? `uid-${o.boundSecret}`}} : {}),
    },
  }
  return ['e30', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'sig'].join('.')
}

const b64 = (s: string) => Buffer.from(s).toString('base64')

/** One generation's Secret in the consumer, as mcfed writes it. */
export function generationSecret(o: {consumer: string; link: string; target: string; generation: number; expires: string; server?: string; validity?: string; saUid?: string}): V1Secret {
  const sa = `mcfed-link-${o.consumer}-${o.link}`
  const bound = `${sa}-g${o.generation}`
  const token = boundToken({expires: o.expires, serviceAccount: sa, saUid: o.saUid, boundSecret: bound})
  return {
    metadata: {
      name: `cluster-credentials-${o.link}-g${o.generation}`,
      namespace: 'linkerd-multicluster',
      labels: {...owner, 'mcfed.io/link-consumer': o.consumer, 'mcfed.io/link': o.link, 'mcfed.io/credential-generation': String(o.generation), 'mcfed.io/link-target': o.target},
      annotations: {'mcfed.io/credential-validity': o.validity ?? '2160h'},
    },
    type: 'mirror.linkerd.io/remote-kubeconfig',
    data: {kubeconfig: b64(linkKubeconfig({link: o.link, server: o.server ?? `https://${o.target}.example:443`, caPem: 'CA', user: sa, token}))},
  }
}

/** A generation's bound Secret on the target. */
export function boundSecret(o: {consumer: string; link: string; target: string; generation: number; uid?: string}): V1Secret {
  const name = `mcfed-link-${o.consumer}-${o.link}-g${o.generation}`
  return {
    metadata: {name, namespace: 'linkerd-multicluster', uid: o.uid ?? `uid-${name}`, labels: {...owner, 'mcfed.io/link-consumer': o.consumer, 'mcfed.io/link': o.link, 'mcfed.io/credential-generation': String(o.generation), 'mcfed.io/link-target': o.target}},
    type: 'Opaque',
  }
}

/** The destination controller's copy of a generation, in `linkerd`. */
export function destinationCopy(link: string, of: V1Secret, o: {label?: string; annotations?: boolean} = {}): V1Secret {
  return {
    metadata: {
      name: `cluster-credentials-${link}`,
      namespace: 'linkerd',
      labels: {...owner, 'multicluster.linkerd.io/cluster-name': o.label ?? link},
      annotations: o.annotations === false ? {} : {'multicluster.linkerd.io/trust-domain': 'cluster.local', 'multicluster.linkerd.io/cluster-domain': 'cluster.local'},
    },
    type: 'mirror.linkerd.io/remote-kubeconfig',
    data: {kubeconfig: of.data!.kubeconfig!},
  }
}
