import {execFileSync} from 'node:child_process'
import {copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
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

describe('mcfed certs init --next and a spec naming trustAnchor.next', () => {
  const withNext = (dir: string) => {
    const spec = join(dir, 'federation.yaml')
    writeFileSync(spec, readFileSync(THREE_REGION, 'utf8').replace(/( +)keyFile: certs\/root\.key.*\n/, (line, indent: string) => `${line}${indent}next: {certFile: certs/next.crt, keyFile: certs/next.key}\n`))
    expect(readFileSync(spec, 'utf8')).toContain('next: {certFile: certs/next.crt')
    return spec
  }

  test('creates the next anchor where the spec names it, and refuses without next in the spec', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcfed-certs-next-'))
    const plain = join(dir, 'plain.yaml')
    copyFileSync(THREE_REGION, plain)
    const refused = await mcfedAsync(['certs', 'init', '--next', '-f', plain])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('names no spec.linkerd.trustAnchor.next')

    const spec = withNext(dir)
    expect((await mcfedAsync(['certs', 'init', '-f', spec])).code).toBe(0)
    const next = await mcfedAsync(['certs', 'init', '--next', '-f', spec])
    expect(next.code, next.stderr).toBe(0)
    expect(next.stdout).toContain('the next trust anchor (trustAnchor.next)')
    expect(next.stdout + next.stderr).not.toMatch(PRIVATE_KEY)
    expect(statSync(join(dir, 'certs', 'next.key')).mode & 0o777).toBe(0o600)
    const fingerprint = (f: string) => execFileSync('openssl', ['x509', '-in', join(dir, 'certs', f), '-noout', '-fingerprint', '-sha256'], {encoding: 'utf8'})
    expect(fingerprint('next.crt')).not.toBe(fingerprint('root.crt'))

    // A valid next anchor is checked; offline, the plan says the phase needs the clusters read: no silent no-op, no error.
    const plan = JSON.parse((await mcfedAsync(['plan', '--offline', '-f', spec, '--format', 'json'])).stdout) as Plan
    expect(plan.diagnostics.map((d) => d.rule)).toContain('certs/rotation-offline')
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
  })

  test('a plan refuses a next anchor that is missing, the current anchor itself, or not a CA, and points at next.certFile', {timeout: 180_000}, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcfed-certs-next-'))
    const spec = withNext(dir)
    expect((await mcfedAsync(['certs', 'init', '-f', spec])).code).toBe(0)
    const refusal = async () => {
      const r = await mcfedAsync(['plan', '--offline', '-f', spec])
      expect(r.code).toBe(1)
      return r.stdout + r.stderr
    }
    expect(await refusal()).toMatch(/error\[certs\/next-anchor-unreadable\][\s\S]*federation\.yaml:\d+:\d+[\s\S]*mcfed certs init --next/)

    copyFileSync(join(dir, 'certs', 'root.crt'), join(dir, 'certs', 'next.crt'))
    expect(await refusal()).toContain('cannot be rotated to: it is the current anchor itself')

    // A leaf certificate (CA:FALSE) cannot sign issuers.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'certs', 'next.key'), '-out', join(dir, 'certs', 'next.crt'), '-days', '30', '-subj', '/CN=leaf', '-addext', 'basicConstraints=critical,CA:FALSE'], {stdio: 'ignore'})
    expect(await refusal()).toContain('it is not a CA certificate')
  })
})
