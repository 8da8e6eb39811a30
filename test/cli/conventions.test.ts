import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import parseDot from 'dotparser'
import {describe, expect, test} from 'vitest'

import {ENVIRONMENT} from '../../src/cli/environment.js'
import type {Plan} from '../../src/plan/types.js'
import {STACK_TRACE, mcfedAsync} from '../support/cli.js'

/** Asynchronous on purpose: see mcfedAsync. */
const mcfed = mcfedAsync
import {THREE_REGION} from '../support/specs.js'

const ANSI = /\u001b\[/
const tmp = mkdtempSync(join(tmpdir(), 'mcfed-conventions-'))
const BROKEN = 'specs/invalid/yaml-syntax.yaml'

describe.concurrent('usage errors exit 1 (2 means "changes" to CI), in one line with a suggestion', async () => {
  test.each([
    [['drfit'], 'unknown command `drfit`', 'did you mean `mcfed drift`?'],
    [['sandbox', 'upp'], 'unknown command `sandbox upp`', 'did you mean `mcfed sandbox up`?'],
    [['plan', '--ofline'], 'unknown flag --ofline', 'did you mean --offline?'],
    [['plan', '--format', 'xml'], 'Expected --format=xml to be one of: text, json, markdown', 'mcfed plan --help'],
    [['show'], 'missing argument PLAN', 'mcfed show --help'],
    [['plan', 'extra'], 'unexpected argument `extra`', 'mcfed plan --help'],
  ])('mcfed %j', async (args, message, hint) => {
    const r = await mcfed(args)
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`Error: ${message}\n  hint: ${r.stderr.split('hint: ')[1]}`)
    expect(r.stderr).toContain(hint)
    expect(r.stderr.trim().split('\n')).toHaveLength(2)
    expect(r.stderr).not.toMatch(STACK_TRACE)
  })

  test('with --json: a small JSON error on stdout, never oclif\'s configuration', async () => {
    for (const args of [['plan', '--json', '--bogus'], ['drfit', '--json']]) {
      const r = await mcfed(args)
      expect(r.code).toBe(1)
      const out = JSON.parse(r.stdout) as {error: {kind: string; message: string; hint: string}}
      expect(out.error.kind).toBe('usage')
      expect(Object.keys(out.error).sort()).toEqual(['hint', 'kind', 'message'])
      expect(r.stdout.length).toBeLessThan(300)
    }
  })

  test('plan --detailed-exitcode and drift never exit 2 on a typo', async () => {
    expect((await mcfed(['plan', '--detailed-exitcode', '--offlin', '-f', THREE_REGION])).code).toBe(1)
    expect((await mcfed(['drift', '--formt', 'markdown'])).code).toBe(1)
  })
})

describe.concurrent('an invalid spec fails in the format the reader asked for', async () => {
  test('--format json: the diagnostics with file, line, column, rule, message and hint on stdout', async () => {
    const r = await mcfed(['plan', '--offline', '-f', 'specs/invalid/cidr-host-bits.yaml', '--format', 'json'])
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout) as {valid: boolean; applyable: boolean; federation: string; diagnostics: {rule: string; message: string; hint: string; locations: {file: string; line: number; col: number}[]}[]}
    expect(out).toMatchObject({valid: false, applyable: false})
    expect(out.diagnostics[0]).toMatchObject({rule: 'cidr/not-canonical', hint: 'did you mean 10.20.0.0/20?'})
    expect(out.diagnostics[0]!.locations[0]).toMatchObject({file: 'specs/invalid/cidr-host-bits.yaml', line: expect.any(Number), col: expect.any(Number)})
  })

  test('--json: the same document as the command\'s result', async () => {
    const r = await mcfed(['plan', '--offline', '-f', BROKEN, '--json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({valid: false, federation: 'duo', diagnostics: [{rule: 'yaml/syntax'}]})
  })

  test('--format markdown: the PR comment says the plan failed and why, under the same marker', async () => {
    const r = await mcfed(['plan', '--offline', '-f', BROKEN, '--format', 'markdown', '--detailed-exitcode'])
    expect(r.code).toBe(1)
    const lines = r.stdout.split('\n')
    expect(lines[0]).toBe('<!-- mcfed-plan federation=duo -->')
    expect(r.stdout).toContain('failed')
    expect(r.stdout).toContain(`\`${BROKEN}:19:16\``)
    expect(r.stdout).toContain('`yaml/syntax`')
  })

  test('drift --format json does the same', async () => {
    const r = await mcfed(['drift', '-f', BROKEN, '--format', 'json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({valid: false})
  })
})

describe.concurrent('plan JSON', async () => {
  test('a reader of 1.x loads a later 1.x plan with fields it does not know; a 2.0 plan is refused', async () => {
    const file = join(tmp, 'plan.json')
    expect((await mcfed(['plan', '--offline', '-f', THREE_REGION, '-o', file])).code).toBe(0)
    const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan & Record<string, unknown>
    const newer = {...plan, format_version: '1.99', added_later: {any: 'thing'}, resource_changes: plan.resource_changes.map((c) => ({...c, new_field: 1}))}
    writeFileSync(file, JSON.stringify(newer))
    const shown = await mcfed(['show', file])
    expect(shown.code).toBe(0)
    expect(shown.stdout).toContain('Plan: 69 to add')
    writeFileSync(file, JSON.stringify({...newer, format_version: '2.0'}))
    expect((await mcfed(['show', file])).code).toBe(1)
    const schema = JSON.parse((await mcfed(['schema', '--plan'])).stdout) as {description: string}
    expect(schema.description).toContain('accept fields they do not know')
  })
})

describe.concurrent('selection', async () => {
  test('--target narrows the plan to the target and what it depends on, and says it is partial', async () => {
    const r = await mcfed(['plan', '--offline', '-f', THREE_REGION, '--target', 'gke_cluster.west', '--target', 'gke_cluster.east', '--format', 'json'])
    expect(r.code).toBe(0)
    const plan = JSON.parse(r.stdout) as Plan
    expect(plan.targets).toEqual(['gke_cluster.east', 'gke_cluster.west'])
    expect(plan.resource_changes.map((c) => c.address).sort()).toEqual(['gcp_network.east', 'gcp_network.west', 'gcp_subnetwork.east', 'gcp_subnetwork.west', 'gke_cluster.east', 'gke_cluster.west'])
    const text = await mcfed(['plan', '--offline', '-f', THREE_REGION, '--target', 'gke_cluster.west'])
    expect(text.stdout).toContain('Partial plan')
    expect((await mcfed(['plan', '--offline', '-f', THREE_REGION, '--target', 'gke_cluster.west', '--format', 'markdown'])).stdout).toContain('**Partial plan:**')
  })

  test('an unknown --target fails with the nearest address', async () => {
    const r = await mcfed(['plan', '--offline', '-f', THREE_REGION, '--target', 'gke_cluster.wset'])
    expect(r.code).toBe(1)
    expect(r.stdout + r.stderr).toContain('did you mean gke_cluster.west?')
  })

  test('apply of a saved plan refuses --target and --replace: the plan was shaped when it was made', async () => {
    const r = await mcfed(['apply', join(tmp, 'nope.json'), '-f', THREE_REGION, '--replace', 'linkerd_issuer.west'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('--target and --replace shape a new plan')
  })
})

describe.concurrent('mcfed graph', async () => {
  test('dot: one subgraph per cluster and an edge per dependency inside the plan', async () => {
    const r = await mcfed(['graph', '-f', THREE_REGION])
    expect(r.code).toBe(0)
    const [graph] = parseDot(r.stdout) as {type: string; children: {type: string; children?: {type: string; id?: string}[]}[]}[]
    const subgraphs = graph!.children.filter((c) => c.type === 'subgraph')
    expect(subgraphs).toHaveLength(3)
    const plan = JSON.parse((await mcfed(['plan', '--offline', '-f', THREE_REGION, '--format', 'json'])).stdout) as Plan
    const dependencies = plan.resource_changes.reduce((n, c) => n + c.depends_on.length, 0)
    expect(graph!.children.filter((c) => c.type === 'edge_stmt')).toHaveLength(dependencies)
  })

  test('mermaid of a saved plan colours each resource by its action', async () => {
    const file = join(tmp, 'graph-plan.json')
    await mcfed(['plan', '--offline', '-f', THREE_REGION, '-o', file])
    const r = await mcfed(['graph', file, '--format', 'mermaid'])
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n')[0]).toBe('flowchart LR')
    expect(r.stdout).toContain('classDef create')
    expect(r.stdout).toMatch(/\["gke_cluster\.west \(create\)"\]:::create/)
    expect(r.stdout.match(/^ {2}subgraph /gm)).toHaveLength(3)
  })
})

describe.concurrent('help and discoverability', async () => {
  test('-h, --help and `help COMMAND` agree; topics describe themselves', async () => {
    const h = await mcfed(['plan', '-h'])
    expect(h.code).toBe(0)
    expect(h.stdout).toBe((await mcfed(['plan', '--help'])).stdout)
    expect((await mcfed(['help', 'plan'])).stdout).toBe(h.stdout)
    const root = (await mcfed(['--help'])).stdout
    expect(root).toMatch(/sandbox\s+Run a local GCP API simulator/)
    expect(root).not.toContain('Stop the sandbox')
    expect(root).toMatch(/autocomplete\s+/)
  })

  test('shell completion comes from oclif\'s plugin', async () => {
    const r = await mcfed(['autocomplete', 'bash'], {HOME: tmp})
    expect(r.code).toBe(0)
    expect(r.stdout + r.stderr).toContain('mcfed')
  })

  test('every environment variable is in the help of the commands it affects and in the README', async () => {
    const help = (await mcfed(['plan', '--help'])).stdout
    for (const v of ['MCFED_GCP_PROJECT', 'MCFED_LAYERS', 'MCFED_LINKERD_CLI', 'MCFED_LOG', 'NO_COLOR']) expect(help).toContain(v)
    expect((await mcfed(['sandbox', 'up', '--help'])).stdout).toContain('MCFED_SANDBOX_DIR')
    const readme = readFileSync('README.md', 'utf8')
    for (const v of Object.keys(ENVIRONMENT)) expect(readme, v).toContain(`| \`${v}\` |`)
  })
})

describe.concurrent('spec input', async () => {
  test('-f - reads the spec from standard input', async () => {
    const r = await mcfed(['validate', '-f', '-'], {}, readFileSync(THREE_REGION, 'utf8'))
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('is valid')
    const plan = await mcfed(['plan', '--offline', '-f', '-', '--format', 'json'], {}, readFileSync(THREE_REGION, 'utf8'))
    expect((JSON.parse(plan.stdout) as Plan).summary.add).toBe(69)
  })

  test('a directory is one line, not EISDIR', async () => {
    const r = await mcfed(['validate', '-f', tmp])
    expect(r.code).toBe(1)
    expect(r.stderr.split('\n')[0]).toBe(`Error: ${tmp} is a directory, not a spec file`)
    expect(r.stderr).not.toContain('EISDIR')
  })

  test('one unclosed bracket is one diagnostic, at the bracket', async () => {
    const text = readFileSync(THREE_REGION, 'utf8').replace('clusters:\n', 'clusters: [\n')
    const r = await mcfed(['validate', '-f', '-', '--json'], {}, text)
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout) as {diagnostics: {rule: string; message: string}[]}
    expect(out.diagnostics).toHaveLength(1)
    expect(out.diagnostics[0]).toMatchObject({rule: 'yaml/syntax', message: '`[` is never closed'})
  })
})

describe.concurrent('colour and the PR comment', async () => {
  test('--color forces colour through a pipe, even over NO_COLOR; NO_COLOR alone turns it off', async () => {
    expect((await mcfed(['plan', '--offline', '-f', THREE_REGION, '--color'])).stdout).toMatch(ANSI)
    expect((await mcfed(['plan', '--offline', '-f', THREE_REGION, '--color'], {NO_COLOR: '1'})).stdout).toMatch(ANSI)
    expect((await mcfed(['plan', '--offline', '-f', THREE_REGION], {NO_COLOR: '1'})).stdout).not.toMatch(ANSI)
    expect((await mcfed(['plan', '--offline', '-f', THREE_REGION])).stdout).not.toMatch(ANSI)
  })

  test('the comment lists guarded destroys first and what dies with them last', async () => {
    // A plan read from a drifted estate (golden): north's cluster moves zone, south was removed.
    const r = await mcfed(['show', 'test/golden/three-region-drift/plan.json', '--format', 'markdown'])
    expect(r.code).toBe(0)
    const list = r.stdout.split('#### ⚠️')[1]!.split('\n\n')[1]!.split('\n')
    const guarded = list.map((l, i) => (l.includes('needs `--allow-destroy`') ? i : -1)).filter((i) => i >= 0)
    const knockOn = list.map((l, i) => (l.includes('gke_cluster.north is replaced') ? i : -1)).filter((i) => i >= 0)
    expect(guarded.length).toBeGreaterThan(0)
    expect(knockOn.length).toBeGreaterThan(0)
    expect(Math.max(...guarded)).toBeLessThan(Math.min(...knockOn))
    expect(guarded).toEqual(guarded.map((_, i) => i))
  })

  test('the comment says the plan is offline and names the mcfed version and the spec digest', async () => {
    const r = await mcfed(['plan', '--offline', '-f', THREE_REGION, '--format', 'markdown'])
    expect(r.stdout).toContain('**Offline plan:**')
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as {version: string}).version
    expect(r.stdout).toMatch(new RegExp(`<sub>mcfed ${version.replaceAll('.', '\\.')} · spec \`sha256:[0-9a-f]{12}\`</sub>`))
  })
})
