import {execFileSync} from 'node:child_process'
import {copyFileSync, mkdtempSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, test} from 'vitest'

import type {Plan} from '../../src/plan/types.js'
import {mcfedAsync} from '../support/cli.js'
import {THREE_REGION} from '../support/specs.js'

const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/

describe('mcfed certs init', () => {
  test('writes a P-256 root with path length 1 and a 0600 key, never prints the key, refuses to overwrite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcfed-certs-'))
    const spec = join(dir, 'federation.yaml')
    copyFileSync(THREE_REGION, spec)
    const first = await mcfedAsync(['certs', 'init', '-f', spec])
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout + first.stderr).not.toMatch(PRIVATE_KEY)
    const cert = join(dir, 'certs', 'root.crt')
    const key = join(dir, 'certs', 'root.key')
    expect(statSync(key).mode & 0o777).toBe(0o600)
    expect(readFileSync(key, 'utf8')).toMatch(PRIVATE_KEY)
    const text = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-text'], {encoding: 'utf8'})
    expect(text).toContain('Subject: CN = root.linkerd.cluster.local')
    expect(text).toContain('CA:TRUE, pathlen:1')
    expect(text).toContain('ASN1 OID: prime256v1')
    expect(text).toMatch(/Not After : .*20(3[5-7])/)
    expect(execFileSync('openssl', ['verify', '-CAfile', cert, cert], {encoding: 'utf8'})).toContain('OK')

    const again = await mcfedAsync(['certs', 'init', '-f', spec])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('already exists')
    expect((await mcfedAsync(['certs', 'init', '-f', spec, '--force'])).code).toBe(0)

    // Plan reads only the public certificate: its fingerprint appears, no key material does.
    const plan = await mcfedAsync(['plan', '--offline', '-f', spec, '--format', 'json'])
    expect(plan.stdout).not.toMatch(PRIVATE_KEY)
    const parsed = JSON.parse(plan.stdout) as Plan
    // With install: mcfed the anchor reaches the cluster through the control plane; the issuer names it.
    const anchor = parsed.resource_changes.find((c) => c.address === 'linkerd_issuer.west')!
    expect(anchor.after?.anchor_fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(parsed.diagnostics.map((d) => d.rule)).not.toContain('certs/anchor-unreadable')
  })
})
