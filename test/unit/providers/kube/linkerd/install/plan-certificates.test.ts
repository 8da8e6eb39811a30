import {describe, expect, test} from 'vitest'

import type {V1Secret} from '@kubernetes/client-node'

import {selfSignedCa, signed} from '../../../../../../src/providers/certs/x509.js'
import {planCertificates} from '../../../../../../src/providers/kube/linkerd/install/certificates.js'

const b64 = (s: string) => Buffer.from(s).toString('base64')
const secret = (name: string, data: Record<string, string>): V1Secret => ({metadata: {name, namespace: 'linkerd'}, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)]))})

describe('the certificates a plan renders the control plane with', () => {
  // Mid-rotation (issuers phase) the roots are [old, new] and the issuer chains to the second:
  // only the first certificate of the bundle was checked, so the plan rendered with stand-ins.
  test('use the live issuer when it chains to any anchor of the trust bundle, not only the first', async () => {
    const old = await selfSignedCa({commonName: 'old.root', validityMs: 3_600_000, pathLength: 1})
    const next = await selfSignedCa({commonName: 'next.root', validityMs: 3_600_000, pathLength: 1})
    const issuer = await signed(next, {commonName: 'identity.linkerd.cluster.local', validityMs: 3_600_000, ca: true, pathLength: 0})
    const webhook = await selfSignedCa({commonName: 'webhook', validityMs: 3_600_000, pathLength: 0})
    const secrets = [secret('linkerd-identity-issuer', {'crt.pem': issuer.certPem, 'key.pem': issuer.keyPem}), secret('linkerd-proxy-injector-k8s-tls', {'ca.crt': webhook.certPem, 'tls.crt': webhook.certPem})]
    const planned = await planCertificates(old.certPem + next.certPem, secrets)
    expect(planned.issuerFingerprint).toMatch(/^sha256:/)
    expect(planned.certs.issuerCertPem).toBe(issuer.certPem)
  })
})
