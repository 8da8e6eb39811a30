import {X509Certificate} from 'node:crypto'
import {readFile} from 'node:fs/promises'

import type {AnchorFacts} from '../../graph/facts.js'
import type {AnchorCertificate} from '../../rotation/next-anchor.js'
import {certificateFingerprint} from './fingerprint.js'

export type AnchorRead = {ok: true; facts: AnchorFacts; certificate: AnchorCertificate; pem: string} | {ok: false; reason: string; missing: boolean}

/**
 * Reads the public trust anchor certificate: all that plan needs. The key file is never opened
 * here; only apply reads it, and only when an issuer must be issued.
 */
export async function readAnchorCertificate(path: string): Promise<AnchorRead> {
  let pem: string
  try {
    pem = await readFile(path, 'utf8')
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT'
    return {ok: false, missing, reason: missing ? 'no such file' : (e as Error).message}
  }
  try {
    const cert = new X509Certificate(pem)
    const facts = {fingerprint: certificateFingerprint(cert), notAfter: new Date(cert.validTo).toISOString()}
    // As X509Certificate prints it: the bytes every other reader of the anchor (trust roots, bundles) uses.
    return {ok: true, facts, certificate: {...facts, notBefore: new Date(cert.validFrom).toISOString(), ca: cert.ca}, pem: cert.toString()}
  } catch (e) {
    return {ok: false, missing: false, reason: `not a PEM certificate: ${(e as Error).message}`}
  }
}
