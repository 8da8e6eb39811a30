import {X509Certificate} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import type {AnchorFacts} from '../../graph/facts.js'
import type {AnchorCertificate} from '../../rotation/next-anchor.js'
import type {FederationSpec} from '../../spec/types.js'
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

/** The spec's anchor and trustAnchor.next, where their certificates can be read (plan says why not). */
export async function specAnchorCertificates(spec: FederationSpec, specFile: string): Promise<{current?: X509Certificate; next?: X509Certificate}> {
  const {certFile, next} = spec.spec.linkerd.trustAnchor
  const read = async (file: string | undefined) => {
    try {
      return file ? new X509Certificate(await readFile(join(dirname(specFile), file), 'utf8')) : undefined
    } catch {
      return undefined
    }
  }
  const [current, nextAnchor] = await Promise.all([read(certFile), read(next?.certFile)])
  return {...(current ? {current} : {}), ...(nextAnchor ? {next: nextAnchor} : {})}
}
