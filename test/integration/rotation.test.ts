import {execFile} from 'node:child_process'
import {X509Certificate} from 'node:crypto'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {beforeEach, describe, expect, inject, test} from 'vitest'

import {parseSpec} from '../../src/spec/parse.js'
import {mcfedAsync, startMcfed, type CliResult} from '../support/cli.js'
import {L219, linkerdBinaries, requireLinkerd} from '../support/linkerd.js'
import {installLinkerdExternally, startMeshClusters, type MeshClusters} from '../support/mesh-clusters.js'
import {until} from '../support/until.js'

/**
 * A trust-anchor rotation driven by repeated `mcfed apply`, as an operator would run it, on three
 * API servers whose pods run (KWOK), with Linkerd installed from its own 2.19 CLI's renders: by
 * mcfed (`install: mcfed`) and by someone else (`install: external`). After every apply, openssl
 * checks that every cluster's trust roots verify every cluster's issuer: cross-cluster mTLS holds
 * at every point between phases. One apply is killed while it restarts workloads, and the next
 * resumes.
 */
const run = promisify(execFile)
const linkerd = linkerdBinaries(L219)
const cli = linkerd.ok && linkerd.cli ? linkerd.cli : ''
const CLUSTERS = ['west', 'east', 'north'] as const

/** A Deployment whose pods carry the label Linkerd's injector sets: meshed, as far as a rotation is concerned. */
const MESHED_APP = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web, linkerd.io/control-plane-ns: linkerd}
    spec:
      containers: [{name: web, image: ghcr.io/example/web:1}]
`

interface Fleet {
  mesh: MeshClusters
  spec: string
  work: string
  env: Record<string, string>
  outputs: string[]
}

async function fleet(prefix: string, install: 'mcfed' | 'external'): Promise<Fleet> {
  const mesh = await startMeshClusters(inject('kubeBin'), prefix)
  const work = join(mesh.dir, 'work')
  mkdirSync(work)
  const spec = join(work, 'federation.yaml')
  const text = readFileSync('examples/three-region/federation.yaml', 'utf8')
    .replace(/(\n    (west|east|north):\n)/g, '$1      kubeContext: $2\n')
    .replace('version: "2.18"', `version: "2.19"\n    install: ${install}`)
  writeFileSync(spec, text)
  const env = {KUBECONFIG: mesh.kubeconfig, MCFED_LAYERS: 'kube', MCFED_LINKERD_CLI: cli}
  expect((await mcfedAsync(['certs', 'init', '-f', spec], env)).code).toBe(0)
  if (install === 'external') await installLinkerdExternally(mesh, {cli, spec: parseSpec(spec, text, {}).spec!, anchorPem: readFileSync(join(work, 'certs', 'root.crt'), 'utf8')})
  writeFileSync(join(work, 'app.yaml'), MESHED_APP)
  await Promise.all(
    CLUSTERS.map(async (c) => {
      await mesh.kubectl(c, 'apply', '-f', 'examples/three-region/services.yaml')
      await mesh.kubectl(c, 'apply', '-f', join(work, 'app.yaml'))
    }),
  )
  const f = {mesh, spec, work, env, outputs: []}
  const applied = await mcfed(f, 'apply', '-f', spec, '--auto-approve', '--no-color')
  expect(applied.code, applied.stdout + applied.stderr).toBe(0)
  await Promise.all(CLUSTERS.map((c) => until(`shop/web running in ${c}`, async () => (await runningPods(f, c, 'shop')) === 2)))
  return f
}

async function mcfed(f: Pick<Fleet, 'env' | 'outputs'>, ...args: string[]): Promise<CliResult> {
  const result = await mcfedAsync(args, f.env)
  f.outputs.push(`$ mcfed ${args.join(' ')}\n${result.stdout}${result.stderr}`)
  return result
}

async function runningPods(f: Fleet, cluster: string, namespace: string): Promise<number> {
  const pods = JSON.parse(await f.mesh.kubectl(cluster, 'get', 'pods', '-n', namespace, '-o', 'json')).items as {metadata: {deletionTimestamp?: string}; status?: {phase?: string}}[]
  return pods.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running').length
}

/** What each cluster holds: its trust roots (PEM bundle) and its issuer certificate. */
async function trustOf(f: Fleet, cluster: string): Promise<{bundle: string; issuer: string}> {
  const roots = JSON.parse(await f.mesh.kubectl(cluster, 'get', 'configmap', '-n', 'linkerd', 'linkerd-identity-trust-roots', '-o', 'json'))
  const secret = JSON.parse(await f.mesh.kubectl(cluster, 'get', 'secret', '-n', 'linkerd', 'linkerd-identity-issuer', '-o', 'json'))
  const cert = secret.data['crt.pem'] ?? secret.data['tls.crt']
  return {bundle: roots.data['ca-bundle.crt'], issuer: Buffer.from(cert, 'base64').toString()}
}

const fingerprints = (bundle: string) => (bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((pem) => new X509Certificate(pem).fingerprint256)

/** openssl, not mcfed's own code, says whether every cluster's trust roots verify every cluster's issuer. */
async function expectEveryBundleVerifiesEveryIssuer(f: Fleet, when: string): Promise<Record<string, {bundle: string; issuer: string}>> {
  const held = Object.fromEntries(await Promise.all(CLUSTERS.map(async (c) => [c, await trustOf(f, c)] as const)))
  for (const a of CLUSTERS) {
    const bundle = join(f.work, `bundle-${a}.pem`)
    writeFileSync(bundle, held[a]!.bundle)
    for (const b of CLUSTERS) {
      const issuer = join(f.work, `issuer-${b}.pem`)
      writeFileSync(issuer, held[b]!.issuer)
      const verified = await run('openssl', ['verify', '-CAfile', bundle, issuer]).then(
        (r) => r.stdout,
        (e: {stdout?: string; stderr?: string}) => `${e.stdout ?? ''}${e.stderr ?? ''}`,
      )
      expect(verified, `${when}: ${a}'s trust roots must verify ${b}'s issuer`).toContain(': OK')
    }
  }
  return held
}

function phaseOf(planned: CliResult): string {
  return /phase \d of 4 \((\w+)\)/.exec(planned.stdout + planned.stderr)?.[1] ?? (/rotation to \w+ is complete/.test(planned.stdout + planned.stderr) ? 'complete' : 'none')
}

/**
 * Plans and applies until the plan says the rotation is complete; after each apply, every bundle
 * verifies every issuer and the old anchor is still in every bundle until the drop. Once, in
 * phase 2 (or the pre-drop restarts), the apply is killed while it restarts workloads.
 */
async function rotate(f: Fleet, oldAnchor: string, newAnchor: string): Promise<string[]> {
  const seen: string[] = []
  let killed = false
  for (let round = 0; round < 16; round++) {
    const planned = await mcfed(f, 'plan', '-f', f.spec, '--no-color')
    expect(planned.code, planned.stdout + planned.stderr).toBe(0)
    const phase = phaseOf(planned)
    seen.push(phase)
    if (phase === 'complete') return seen
    expect(phase, planned.stdout + planned.stderr).not.toBe('none')
    const args = ['apply', '-f', f.spec, '--auto-approve', '--no-color', ...(phase === 'drop' ? ['--allow-destroy'] : [])]
    if (phase === 'proxies' && !killed) {
      killed = true
      const started = startMcfed(args, f.env)
      // Killed as soon as a workload's restart is under way: the apply has written its record and restarted at least one rollout.
      await until('a workload restart under way', async () => (await Promise.all(CLUSTERS.map((c) => f.mesh.kubectl(c, 'get', 'deployment', '-n', 'shop', 'web', '-o', 'jsonpath={.spec.template.metadata.annotations}')))).some((a) => a.includes('restartedAt')))
      started.child.kill('SIGKILL')
      const result = await started.result
      f.outputs.push(`$ mcfed ${args.join(' ')} (killed)\n${result.stdout}${result.stderr}`)
      seen.push('killed')
    } else {
      const applied = await mcfed(f, ...args)
      expect(applied.code, applied.stdout + applied.stderr).toBe(0)
    }
    const held = await expectEveryBundleVerifiesEveryIssuer(f, `after the apply of phase ${phase}`)
    // verify's trust check says what openssl said, from the same objects.
    const verified = await mcfedAsync(['verify', '-f', f.spec, '--read-only', '--format', 'json'], f.env)
    const trust = (JSON.parse(verified.stdout) as {trust: {clusters: {cluster: string; anchors: string[]}[]; pairs: {ok: boolean; reason: string}[]}}).trust
    expect(trust.pairs.length, verified.stdout).toBeGreaterThanOrEqual(3)
    expect(trust.pairs.filter((p) => !p.ok), `verify after phase ${phase}`).toEqual([])
    for (const c of trust.clusters) expect(c.anchors.map((a) => a.replace(/^sha256:/, '')), c.cluster).toEqual(fingerprints(held[c.cluster]!.bundle).map((x) => x.replaceAll(':', '').toLowerCase()))
    for (const c of CLUSTERS) {
      const prints = fingerprints(held[c]!.bundle)
      if (phase !== 'drop') expect(prints, `${c} after phase ${phase}`).toContain(oldAnchor)
      if (phase !== 'bundle') expect(prints, `${c} after phase ${phase}`).toContain(newAnchor)
    }
  }
  throw new Error(`no completion: ${seen.join(' → ')}`)
}

function withNext(spec: string): void {
  writeFileSync(spec, readFileSync(spec, 'utf8').replace(/( +)keyFile: certs\/root\.key.*\n/, (line, indent: string) => `${line}${indent}next: {certFile: certs/next.crt, keyFile: certs/next.key}\n`))
}

/** The spec after the rotation: the next anchor is the anchor, `next` gone. */
function promoteNext(spec: string): void {
  writeFileSync(spec, readFileSync(spec, 'utf8').replace(/certFile: certs\/root\.crt/, 'certFile: certs/next.crt').replace(/keyFile: certs\/root\.key/, 'keyFile: certs/next.key').replace(/\n +next: \{certFile: certs\/next\.crt, keyFile: certs\/next\.key\}/, ''))
}

async function rotationOf(install: 'mcfed' | 'external'): Promise<void> {
  const f = await fleet(`rotation-${install}`, install)
  try {
    const anchor = (file: string) => new X509Certificate(readFileSync(join(f.work, 'certs', file), 'utf8')).fingerprint256
    withNext(f.spec)
    expect((await mcfed(f, 'certs', 'init', '--next', '-f', f.spec)).code).toBe(0)
    await expectEveryBundleVerifiesEveryIssuer(f, 'before the rotation')

    const seen = await rotate(f, anchor('root.crt'), anchor('next.crt'))
    // Phases in order, none skipped; the killed apply resumed (the phase after it is still proxies or later).
    const order = ['bundle', 'proxies', 'killed', 'issuers', 'drop', 'complete']
    // The killed apply is one of phase 2's: where the rollouts it began had not finished by the
    // next plan (a loaded machine), that plan is phase 2 again, which resumes them.
    const ranks = seen.map((p) => order.indexOf(p === 'killed' ? 'proxies' : p))
    expect(ranks.every((r, i) => r >= 0 && (i === 0 || r >= ranks[i - 1]!)), seen.join(' → ')).toBe(true)
    expect(new Set(seen), seen.join(' → ')).toEqual(new Set(order))

    // The end: every cluster trusts the new anchor alone and its issuer chains to it.
    const held = await expectEveryBundleVerifiesEveryIssuer(f, 'at the end')
    for (const c of CLUSTERS) {
      expect(fingerprints(held[c]!.bundle)).toEqual([anchor('next.crt')])
      expect(new X509Certificate(held[c]!.issuer).checkIssued(new X509Certificate(readFileSync(join(f.work, 'certs', 'next.crt'), 'utf8')))).toBe(true)
    }
    // The record is forgotten once complete; a plan of the spec with next promoted is empty.
    const forgotten = await mcfed(f, 'apply', '-f', f.spec, '--auto-approve', '--no-color')
    expect(forgotten.code, forgotten.stdout + forgotten.stderr).toBe(0)
    for (const [c, t] of Object.entries(await expectEveryBundleVerifiesEveryIssuer(f, 'after the records were forgotten'))) expect(fingerprints(t.bundle), c).toEqual([anchor('next.crt')])
    const records = await Promise.all(CLUSTERS.map((c) => f.mesh.kubectl(c, 'get', 'configmap', '-n', 'linkerd', '-o', 'name')))
    expect(records.join('\n')).not.toContain('mcfed-trust-rotation')
    promoteNext(f.spec)
    const settled = await mcfed(f, 'plan', '-f', f.spec, '--no-color', '--detailed-exitcode')
    expect(settled.code, settled.stdout + settled.stderr).toBe(0)
    expect(settled.stdout).toContain('No changes')
  } catch (e) {
    console.error(f.outputs.join('\n'))
    throw e
  } finally {
    await f.mesh.stop()
  }
}

beforeEach((ctx) => void requireLinkerd(ctx, L219))

describe('trust-anchor rotation on the sandbox', () => {
  test('install: external — bundle, proxies (one apply killed), issuers, drop; every bundle verifies every issuer throughout', {timeout: 1_200_000}, async () => {
    await rotationOf('external')
  })

  test('install: mcfed — the same rotation through the control plane\'s renders', {timeout: 1_200_000}, async () => {
    await rotationOf('mcfed')
  })
})
