import {X509Certificate} from 'node:crypto'
import {readFile} from 'node:fs/promises'

import {ProviderError} from '../../diagnostics/errors.js'
import {ISSUER_COMMON_NAME} from '../../linkerd/names.js'
import {certificateFingerprint, parseCertificate} from '../certs/fingerprint.js'
import {signed, YEAR_MS, type KeyAndCert} from '../certs/x509.js'
import type {FederationSpec} from '../../spec/types.js'
import {parseDuration} from '../../util/duration.js'
import * as x509 from '@peculiar/x509'
import {webcrypto, createPrivateKey} from 'node:crypto'

/** What plan can tell about an issuer certificate from its public part alone. */
export interface IssuerFacts {
  readonly common_name: string
  readonly key_algorithm: string
  readonly validity: string
  readonly anchor_fingerprint: string
  readonly certificate_fingerprint: string
  readonly not_after: string
}

/** Parses an issuer certificate and names the anchor that signed it (the spec's, or another). */
export function issuerFacts(certPem: string, caPem: string | undefined, anchor: X509Certificate | undefined): IssuerFacts {
  const cert = new X509Certificate(certPem)
  const key = cert.publicKey
  const algorithm = key.asymmetricKeyType === 'ec' ? `ECDSA-${key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'P256' : key.asymmetricKeyDetails?.namedCurve}` : String(key.asymmetricKeyType).toUpperCase()
  const hours = Math.round((Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 3_600_000)
  // Only a certificate that verifiably signed the issuer names its anchor; ca.crt alone proves nothing.
  const candidates = [anchor, parseCertificate(caPem)].filter((c): c is X509Certificate => c !== undefined)
  const signerCert = candidates.find((c) => cert.checkIssued(c) && cert.verify(c.publicKey))
  const signer = signerCert ? certificateFingerprint(signerCert) : 'unverified: signed by no known anchor'
  return {
    common_name: /CN=([^\n,]+)/.exec(cert.subject)?.[1] ?? '',
    key_algorithm: algorithm,
    validity: `${hours}h`,
    anchor_fingerprint: signer,
    certificate_fingerprint: certificateFingerprint(cert),
    not_after: new Date(cert.validTo).toISOString(),
  }
}


/** How long mcfed's cluster certificates (issuers, webhook serving certificates) are valid: `issuer.validity`, a year if unparsable. */
export function issuerValidityMs(spec: FederationSpec): number {
  return parseDuration(spec.spec.linkerd.issuer.validity) ?? YEAR_MS
}

/**
 * Issues a cluster's identity issuer: ECDSA P-256, CA with path length 0, signed by the anchor.
 * The anchor key is read here, at apply time, and only when an issuer must be (re)issued.
 */
export async function issueIssuer(anchorCertFile: string, anchorKeyFile: string, validityMs: number): Promise<{certPem: string; keyPem: string; caPem: string}> {
  let certPem: string
  let keyPem: string
  try {
    ;[certPem, keyPem] = await Promise.all([readFile(anchorCertFile, 'utf8'), readFile(anchorKeyFile, 'utf8')])
  } catch (e) {
    throw new ProviderError(`cannot read the trust anchor to issue an issuer: ${(e as Error).message}`, {
      hint: 'apply needs spec.linkerd.trustAnchor.keyFile when an issuer must be issued; create the anchor with `mcfed certs init`',
    })
  }
  const anchor = await loadKeyAndCert(certPem, keyPem)
  const issuer = await signed(anchor, {commonName: ISSUER_COMMON_NAME, validityMs, ca: true, pathLength: 0})
  return {certPem: issuer.certPem, keyPem: issuer.keyPem, caPem: certPem}
}

async function loadKeyAndCert(certPem: string, keyPem: string): Promise<KeyAndCert> {
  const pkcs8 = createPrivateKey(keyPem).export({type: 'pkcs8', format: 'der'})
  const alg = {name: 'ECDSA', namedCurve: 'P-256'}
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, alg, true, ['sign'])
  const cert = new x509.X509Certificate(certPem)
  const publicKey = await cert.publicKey.export(alg, ['verify'])
  return {certPem, keyPem, cert, keys: {privateKey, publicKey} as webcrypto.CryptoKeyPair}
}
