import {X509Certificate} from 'node:crypto'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, test} from 'vitest'

import {anchorFileSecrets} from '../../../../src/providers/certs/secrets-port.js'
import {YEAR_MS, selfSignedCa} from '../../../../src/providers/certs/x509.js'

describe('the trust anchor through the secrets port', () => {
  // Plan renders the control plane with the anchor as the certificate prints itself; apply read the
  // file as it was written (no final newline from `certs init`), so Linkerd's CLI rendered a different
  // `linkerd.io/trust-root-sha256` and every plan after apply wanted to change the control plane.
  test('is the certificate as it prints itself, whatever the file\'s line endings and blank lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcfed-anchor-'))
    const ca = await selfSignedCa({commonName: 'root.linkerd.cluster.local', validityMs: YEAR_MS, pathLength: 1})
    const canonical = new X509Certificate(ca.certPem).toString()
    for (const [name, text] of [['bare', ca.certPem.trimEnd()], ['crlf', ca.certPem.replace(/\n/g, '\r\n')], ['padded', `\n${ca.certPem}\n\n`]] as const) {
      writeFileSync(join(dir, `${name}.crt`), text)
      expect(await anchorFileSecrets({certFile: join(dir, `${name}.crt`), keyFile: join(dir, 'none.key')}).anchorCertificatePem(), name).toBe(canonical)
    }
  })
})
