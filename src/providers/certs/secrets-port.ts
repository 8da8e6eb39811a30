import {X509Certificate, createPrivateKey, webcrypto} from 'node:crypto'
import {readFile} from 'node:fs/promises'

import {ProviderError} from '../../diagnostics/errors.js'
import {ISSUER_COMMON_NAME} from '../../linkerd/names.js'
import {signed, x509Library, type KeyAndCert} from './x509.js'

/** A certificate and its key, PEM, held in memory only. */
export interface IssuedCertificate {
  readonly certPem: string
  readonly keyPem: string
  /** The certificate that signed it. */
  readonly caPem: string
}

/**
 * The one door through which apply reaches key material a plan must never carry: the trust
 * anchor's key, used to sign a new issuer and read only then. Kinds get certificates through it,
 * never a file path or the spec.
 */
export interface SecretsPort {
  /**
   * The trust anchor's certificate (public): what trust roots and renders carry, as the certificate
   * prints itself, so that a render at apply is byte for byte the one the plan made from it.
   */
  anchorCertificatePem(): Promise<string>
  /** A new identity issuer (ECDSA P-256, CA with path length 0) signed by the anchor. */
  issueIssuer(validityMs: number): Promise<IssuedCertificate>
}

/** The anchor as `mcfed certs init` writes it: two PEM files the spec names. */
export function anchorFileSecrets(certFile: string, keyFile: string): SecretsPort {
  return {
    anchorCertificatePem: async () => new X509Certificate(await readFile(certFile, 'utf8')).toString(),
    async issueIssuer(validityMs) {
      let certPem: string
      let keyPem: string
      try {
        ;[certPem, keyPem] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')])
      } catch (e) {
        throw new ProviderError(`cannot read the trust anchor to issue an issuer: ${(e as Error).message}`, {
          hint: 'apply needs spec.linkerd.trustAnchor.keyFile when an issuer must be issued; create the anchor with `mcfed certs init`',
        })
      }
      const anchor = await loadKeyAndCert(certPem, keyPem)
      const issuer = await signed(anchor, {commonName: ISSUER_COMMON_NAME, validityMs, ca: true, pathLength: 0})
      return {certPem: issuer.certPem, keyPem: issuer.keyPem, caPem: certPem}
    },
  }
}

async function loadKeyAndCert(certPem: string, keyPem: string): Promise<KeyAndCert> {
  const pkcs8 = createPrivateKey(keyPem).export({type: 'pkcs8', format: 'der'})
  const alg = {name: 'ECDSA', namedCurve: 'P-256'}
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, alg, true, ['sign'])
  const x509 = await x509Library()
  const cert = new x509.X509Certificate(certPem)
  const publicKey = await cert.publicKey.export(alg, ['verify'])
  return {certPem, keyPem, cert, keys: {privateKey, publicKey} as webcrypto.CryptoKeyPair}
}
