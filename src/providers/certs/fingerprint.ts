import {X509Certificate} from 'node:crypto'

import {memoByText} from '../../util/memo.js'

/** `sha256:<hex>` of a certificate's DER: how anchors and issuers are compared, never by PEM text. */
export function certificateFingerprint(cert: X509Certificate): string {
  return `sha256:${cert.fingerprint256.replaceAll(':', '').toLowerCase()}`
}

/** A PEM certificate read from the estate; undefined when absent or not a certificate (which callers report as drift). */
export function parseCertificate(pem: string | undefined): X509Certificate | undefined {
  return pem ? parsedCertificate(pem) : undefined
}

/** The certificates of a PEM bundle, in order; a block that does not parse is skipped. */
export function bundleCertificates(pem: string): X509Certificate[] {
  return [...parsedBundle(pem)]
}

// X509Certificate objects are immutable, and a plan meets the same PEM in several kinds' reads.
const parsedCertificate = memoByText((pem): X509Certificate | undefined => {
  try {
    return new X509Certificate(pem)
  } catch {
    return undefined
  }
})

const parsedBundle = memoByText((pem): readonly X509Certificate[] =>
  (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).flatMap((block) => {
    const cert = parsedCertificate(block)
    return cert ? [cert] : []
  }),
)

/** The certificate among `candidates` that signed `cert` (issued it, and its key verifies the signature). */
export function signerOf(cert: X509Certificate, candidates: readonly X509Certificate[]): X509Certificate | undefined {
  return candidates.find((c) => cert.checkIssued(c) && cert.verify(c.publicKey))
}
