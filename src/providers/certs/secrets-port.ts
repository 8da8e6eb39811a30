import {X509Certificate, createPrivateKey, webcrypto} from 'node:crypto'
import {readFile} from 'node:fs/promises'

import {ProviderError} from '../../diagnostics/errors.js'
import {ISSUER_COMMON_NAME} from '../../linkerd/names.js'
import {bundleCertificates, certificateFingerprint} from './fingerprint.js'
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
 * anchors' keys, used to sign a new issuer and read only then. Kinds get certificates through it,
 * never a file path or the spec.
 */
export interface SecretsPort {
  /**
   * The trust anchor's certificate (public): what trust roots and renders carry, as the certificate
   * prints itself, so that a render at apply is byte for byte the one the plan made from it.
   */
  anchorCertificatePem(): Promise<string>
  /**
   * The trust roots of these anchors (fingerprints), in order: the spec's anchor and
   * trustAnchor.next from their files, any other (the anchor a rotation started from, once the
   * spec names only the next one) from `live`, the bundle the cluster holds.
   */
  bundlePem(fingerprints: readonly string[], live: string): Promise<string>
  /** A new identity issuer (ECDSA P-256, CA with path length 0) signed by the anchor of that fingerprint (default: the spec's). */
  issueIssuer(validityMs: number, anchorFingerprint?: string): Promise<IssuedCertificate>
}

/** An anchor as `mcfed certs init` writes it: two PEM files the spec names. */
export interface AnchorFiles {
  readonly certFile: string
  readonly keyFile: string
}

/** The spec's anchor, then trustAnchor.next where the spec names one. */
export function anchorFileSecrets(current: AnchorFiles, next?: AnchorFiles): SecretsPort {
  const files = [current, ...(next ? [next] : [])]
  const certificate = async (f: AnchorFiles) => {
    try {
      return new X509Certificate(await readFile(f.certFile, 'utf8'))
    } catch {
      return undefined
    }
  }
  return {
    anchorCertificatePem: async () => new X509Certificate(await readFile(current.certFile, 'utf8')).toString(),
    async bundlePem(fingerprints, live) {
      const known = [...(await Promise.all(files.map(certificate))).filter((c): c is X509Certificate => c !== undefined), ...bundleCertificates(live)]
      return fingerprints
        .map((fp) => {
          const found = known.find((c) => certificateFingerprint(c) === fp)
          if (!found) throw new ProviderError(`trust anchor ${fp} is neither the spec's anchor, trustAnchor.next, nor in the cluster's trust roots`, {hint: 'plan again: the trust roots changed since this plan was made'})
          return found.toString()
        })
        .join('')
    },
    async issueIssuer(validityMs, anchorFingerprint) {
      const chosen = anchorFingerprint ? (await Promise.all(files.map(async (f) => ({f, cert: await certificate(f)})))).find((x) => x.cert && certificateFingerprint(x.cert) === anchorFingerprint)?.f : current
      if (!chosen) throw new ProviderError(`no anchor whose key mcfed holds has fingerprint ${anchorFingerprint}`, {hint: 'the issuer must be signed by the spec\'s trustAnchor or trustAnchor.next; plan again'})
      let certPem: string
      let keyPem: string
      try {
        ;[certPem, keyPem] = await Promise.all([readFile(chosen.certFile, 'utf8'), readFile(chosen.keyFile, 'utf8')])
      } catch (e) {
        throw new ProviderError(`cannot read the trust anchor to issue an issuer: ${(e as Error).message}`, {
          hint: 'apply needs the anchor\'s keyFile when an issuer must be issued; create the anchor with `mcfed certs init`',
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
