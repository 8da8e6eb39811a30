import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, test} from 'vitest'

import {validatePlanJson} from '../../src/plan/plan-schema.js'
import type {Plan} from '../../src/plan/types.js'
import {STACK_TRACE, mapLimit, mcfedAsync} from '../support/cli.js'

/** Asynchronous on purpose: see mcfedAsync. */
const mcfed = mcfedAsync
import {THREE_REGION} from '../support/specs.js'

const ANSI = /\u001b\[/
const tmp = mkdtempSync(join(tmpdir(), 'mcfed-cli-'))

describe.concurrent('mcfed validate', () => {
  test('the example is valid: exit 0', async () => {
    const r = await mcfed(['validate', '-f', THREE_REGION])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('is valid (0 errors, 0 warnings)')
  })

  // The whole corpus is checked in-process (test/unit/spec-corpus.test.ts); through the CLI, one
  // spec per rule family shows that each family reaches the terminal with its positions.
  test('one spec per rule family in specs/invalid exits 1 with its rule ids, positions and no stack trace', {timeout: 180_000}, async () => {
    const dir = 'specs/invalid'
    const families = new Map<string, string>()
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
      const expected = JSON.parse(readFileSync(join(dir, file.replace('.yaml', '.expected.json')), 'utf8')) as {diagnostics: {rule: string}[]}
      const family = expected.diagnostics[0]!.rule.split('/')[0]!
      if (!families.has(family)) families.set(family, file)
    }
    const files = [...families.values()]
    expect(files.length).toBeGreaterThanOrEqual(8)
    const results = await mapLimit(files, 4, (file) => mcfedAsync(['validate', '-f', join(dir, file)]))
    for (const [i, file] of files.entries()) {
      const r = results[i]!
      expect(r.code, file).toBe(1)
      expect(r.stdout + r.stderr, file).not.toMatch(STACK_TRACE)
      const expected = JSON.parse(readFileSync(join(dir, file.replace('.yaml', '.expected.json')), 'utf8')) as {
        diagnostics: {rule: string; line: number; col: number}[]
      }
      for (const d of expected.diagnostics) {
        expect(r.stdout, file).toContain(`[${d.rule}]`)
        expect(r.stdout, file).toContain(`${join(dir, file)}:${d.line}:${d.col}`)
      }
    }
  })

  test('--json reports the diagnostics as data and still exits 1', async () => {
    const r = await mcfed(['validate', '-f', 'specs/invalid/cidr-host-bits.yaml', '--json'])
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout) as {valid: boolean; diagnostics: {rule: string; hint: string}[]}
    expect(out.valid).toBe(false)
    expect(out.diagnostics[0]).toMatchObject({rule: 'cidr/not-canonical', hint: 'did you mean 10.20.0.0/20?'})
  })

  test('a missing file is one clear line, exit 1', async () => {
    const r = await mcfed(['validate', '-f', 'nope.yaml'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('spec file nope.yaml does not exist')
    expect(r.stderr).not.toMatch(STACK_TRACE)
  })
})

describe.concurrent('mcfed plan --offline', () => {
  test('text: every resource in dependency order, then the summary line', async () => {
    const r = await mcfed(['plan', '--offline', '-f', THREE_REGION])
    expect(r.code).toBe(0)
    expect(r.stdout).not.toMatch(ANSI)
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('Plan: 69 to add, 0 to change, 0 to replace, 0 to destroy.')
    const order = [...r.stdout.matchAll(/^ {2}# (\S+) will be created$/gm)].map((m) => m[1])
    expect(order).toHaveLength(69)
    expect(order.indexOf('gcp_network.west')).toBeLessThan(order.indexOf('gke_cluster.west'))
    expect(order.indexOf('gke_cluster.east')).toBeLessThan(order.indexOf('linkerd_link.west/east-gw'))
    // install: mcfed: CRDs, then the control plane, then the extension, then the Links.
    expect(order.indexOf('linkerd_crds.west')).toBeLessThan(order.indexOf('linkerd_control_plane.west'))
    expect(order.indexOf('linkerd_control_plane.west')).toBeLessThan(order.indexOf('linkerd_multicluster.west'))
    expect(order.indexOf('linkerd_multicluster.west')).toBeLessThan(order.indexOf('linkerd_link.west/east-gw'))
  })

  test('json validates against schemas/plan.schema.json', async () => {
    const r = await mcfed(['plan', '--offline', '-f', THREE_REGION, '--format', 'json'])
    expect(r.code).toBe(0)
    const plan = JSON.parse(r.stdout) as Plan
    expect(validatePlanJson(plan)).toEqual([])
    expect(plan.summary.add).toBe(69)
  })

  test('--detailed-exitcode: 2 when there are changes', async () => {
    expect((await mcfed(['plan', '--offline', '-f', THREE_REGION, '--detailed-exitcode'])).code).toBe(2)
  })

  test('an invalid spec stops planning with exit 1, even with --detailed-exitcode', async () => {
    const r = await mcfed(['plan', '--offline', '-f', 'specs/invalid/cidr-overlap-peered.yaml', '--detailed-exitcode'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('error[cidr/overlap]')
    expect(r.stderr).toContain('Nothing was read or changed.')
  })

  // Six runs of the CLI: under the loop's full load (two files of concurrent CLI tests on two
  // cores) they took more than the default minute, so the independent ones run together.
  test('-o saves a plan that `show` re-renders identically in every format', {timeout: 180_000}, async () => {
    const saved = join(tmp, 'plan.json')
    expect((await mcfed(['plan', '--offline', '-f', THREE_REGION, '-o', saved])).code).toBe(0)
    await Promise.all(
      ['json', 'markdown'].map(async (format) => {
        const [direct, shown] = await Promise.all([mcfed(['plan', '--offline', '-f', THREE_REGION, '--format', format]), mcfed(['show', saved, '--format', format])])
        expect(shown.code).toBe(0)
        expect(shown.stdout).toBe(direct.stdout)
      }),
    )
    expect((await mcfed(['show', saved])).stdout).toContain('Plan: 69 to add')
  })

  test('show refuses a file that is not a plan', async () => {
    const bogus = join(tmp, 'bogus.json')
    writeFileSync(bogus, JSON.stringify({format_version: '1.0', hello: 'world'}))
    const r = await mcfed(['show', bogus])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('is not a valid mcfed plan')
    const future = join(tmp, 'future.json')
    writeFileSync(future, JSON.stringify({format_version: '2.0'}))
    expect((await mcfed(['show', future])).stderr).toContain('has format_version 2.0')
  })

  test('colour: on when forced, off with --no-color and with NO_COLOR', async () => {
    expect((await mcfed(['plan', '--offline', '-f', THREE_REGION], {FORCE_COLOR: '1'})).stdout).toMatch(ANSI)
    expect((await mcfed(['plan', '--offline', '-f', THREE_REGION, '--no-color'], {FORCE_COLOR: '1'})).stdout).not.toMatch(ANSI)
    expect((await mcfed(['plan', '--offline', '-f', THREE_REGION], {FORCE_COLOR: '1', NO_COLOR: '1'})).stdout).not.toMatch(ANSI)
  })

  test('MCFED_GCP_PROJECT overrides the project', async () => {
    const r = await mcfed(['plan', '--offline', '-f', THREE_REGION, '--format', 'json'], {MCFED_GCP_PROJECT: 'ci-project'})
    expect((JSON.parse(r.stdout) as Plan).project).toBe('ci-project')
  })
})

describe.concurrent('mcfed schema', () => {
  test('prints the federation schema that validation uses', async () => {
    const r = await mcfed(['schema'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync('schemas/federation.schema.json', 'utf8')))
  })
})
