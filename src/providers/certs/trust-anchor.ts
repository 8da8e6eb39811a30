import {chmod, mkdir, stat, writeFile} from 'node:fs/promises'
import {dirname} from 'node:path'

import {UserError} from '../../diagnostics/errors.js'
import {readAnchorCertificate} from './anchor.js'
import {selfSignedCa, YEAR_MS} from './x509.js'

/** Linkerd's documented trust anchor: ECDSA P-256 root, path length 1, ten years. */
export const ANCHOR_COMMON_NAME = 'root.linkerd.cluster.local'

export interface AnchorFiles {
  readonly certFile: string
  readonly keyFile: string
  readonly fingerprint: string
  readonly notAfter: string
}

/**
 * Writes a new trust anchor: the certificate world-readable, the key 0600. Refuses to overwrite
 * either file unless `force`: replacing an anchor breaks every cluster that trusts the old one.
 */
export async function createTrustAnchor(certFile: string, keyFile: string, force: boolean): Promise<AnchorFiles> {
  if (!force) {
    for (const f of [certFile, keyFile]) {
      if (await exists(f)) throw new UserError(`${f} already exists; mcfed will not replace a trust anchor silently`, 'every cluster trusts the current anchor: to rotate it, name trustAnchor.next in the spec and run `mcfed certs init --next`; --force replaces the file outright')
    }
  }
  const anchor = await selfSignedCa({commonName: ANCHOR_COMMON_NAME, validityMs: 10 * YEAR_MS, pathLength: 1})
  await mkdir(dirname(certFile), {recursive: true})
  await mkdir(dirname(keyFile), {recursive: true})
  await writeFile(keyFile, anchor.keyPem, {mode: 0o600})
  await chmod(keyFile, 0o600)
  await writeFile(certFile, anchor.certPem, {mode: 0o644})
  const read = await readAnchorCertificate(certFile)
  if (!read.ok) throw new Error(`the anchor just written cannot be read back: ${read.reason}`)
  return {certFile, keyFile, ...read.facts}
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}
