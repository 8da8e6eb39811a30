import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {afterAll, beforeEach, describe, expect, inject, test} from 'vitest'

import {requestsByVerb} from '../support/apiserver-requests.js'
import {createGcpClients} from '../../src/providers/gcp/client.js'
import {ProjectMetadataLeaseStore} from '../../src/providers/gcp/lock.js'
import {FederationLease} from '../../src/providers/lease.js'
import {readSandboxInfo} from '../../src/sandbox/paths.js'
import {mcfedAsync, type CliResult} from '../support/cli.js'
import {L219, linkerdBinaries, requireLinkerd} from '../support/linkerd.js'

const run = promisify(execFile)
const work = mkdtempSync(join(tmpdir(), 'mcfed-sbxk-'))
const spec = join(work, 'federation.yaml')
// Linkerd 2.19, rendered by its own CLI.
writeFileSync(spec, readFileSync('examples/three-region/federation.yaml', 'utf8').replace('version: "2.18"', 'version: "2.19"'))
const linkerd = linkerdBinaries(L219)
const env = {MCFED_SANDBOX_DIR: join(work, 'sandbox'), MCFED_KUBE_BIN: inject('kubeBin'), MCFED_SANDBOX: '1', MCFED_LINKERD_CLI: linkerd.ok ? linkerd.cli ?? '' : ''}
const outputs: string[] = []
const mcfed = async (...args: string[]): Promise<CliResult> => {
  const r = await mcfedAsync(args, env)
  outputs.push(r.stdout, r.stderr)
  return r
}
const kubeconfig = join(work, 'sandbox', 'kubeconfig')
const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', kubeconfig, ...args], {maxBuffer: 1 << 26})).stdout
const apiserverPid = async (cluster: string) => Number((await run('pgrep', ['-f', `kube-apiserver.*${join(work, 'sandbox', 'clusters', cluster)}`])).stdout.trim().split('\n')[0])

afterAll(async () => {
  await mcfedAsync(['sandbox', 'down', '--purge'], env)
})

beforeEach((ctx) => void requireLinkerd(ctx, L219))

/** The issuer Secret as Linkerd's chart stores it, holding someone else's certificate and key. */
function issuerSecret(certFile: string, keyFile: string): string {
  const b64 = (f: string) => readFileSync(f).toString('base64')
  return JSON.stringify({apiVersion: 'v1', kind: 'Secret', metadata: {name: 'linkerd-identity-issuer', namespace: 'linkerd'}, data: {'crt.pem': b64(certFile), 'key.pem': b64(keyFile)}})
}

/** Requests the API server served, by verb, from its own metrics. */
const requestCounts = async (context: string) => requestsByVerb(await kubectl('--context', context, 'get', '--raw', '/metrics'))

describe('the cluster side on the sandbox: Linkerd installed by mcfed, its trust roots and issuers, service labels', () => {
  test('apply end to end, drift by kubectl repaired, foreign issuer replaced, unreachable cluster unknown, no secret printed', {timeout: 600_000}, async () => {
    expect((await mcfed('certs', 'init', '-f', spec)).code).toBe(0)
    expect((await mcfed('sandbox', 'up')).code).toBe(0)

    // One plan creates clusters and what goes inside them; labelling needs the app's Services.
    const plan = await mcfed('plan', '-f', spec, '--no-color')
    expect(plan.stdout).toContain('# gke_cluster.west will be created')
    expect(plan.stdout).toContain('# linkerd_issuer.west will be created')
    const first = await mcfed('apply', '-f', spec, '--auto-approve', '--no-color')
    expect(first.code).toBe(1)
    expect(first.stdout).toContain('Service mc-demo/analytics does not exist in east')
    for (const c of ['west', 'east', 'north']) await kubectl('--context', c, 'apply', '-f', 'examples/three-region/services.yaml')
    const second = await mcfed('apply', '-f', spec, '--auto-approve', '--no-color')
    expect(second.code, second.stdout + second.stderr).toBe(0)
    expect((await mcfed('plan', '-f', spec, '--detailed-exitcode')).code).toBe(0)

    // A Kubernetes-only apply writes clusters too: it waits for the same project lease as a full one.
    const gcp = createGcpClients({kind: 'sandbox', url: readSandboxInfo(join(work, 'sandbox'))!.gcp.endpoint})
    const other = new FederationLease(new ProjectMetadataLeaseStore(gcp, 'my-project', 'mc-demo', {timeoutMs: 10_000, pollMs: 50, retry: {attempts: 3, baseMs: 50, maxMs: 200}}), {federation: 'mc-demo', operation: 'test', ttlMs: 60_000, timeoutMs: 0, pollMs: 100})
    await other.acquire()
    try {
      const locked = await mcfed('apply', '-f', spec, '--layer', 'kube', '--auto-approve', '--lock-timeout', '0s')
      expect(locked.code, locked.stdout + locked.stderr).toBe(1)
      expect(locked.stderr).toContain('federation mc-demo is locked by')
    } finally {
      await other.release()
      await gcp.close()
    }

    // What kubectl sees is what the spec implies.
    // (Linkerd's controllers run in the sandbox: its mirrors are left out here.)
    const labels = JSON.parse(await kubectl('--context', 'east', 'get', 'svc', '-n', 'mc-demo', '-l', '!mirror.linkerd.io/mirrored-service', '-o', 'json')) as {items: {metadata: {name: string; labels?: Record<string, string>}}[]}
    expect(Object.fromEntries(labels.items.map((s) => [s.metadata.name, s.metadata.labels]))).toEqual({
      analytics: {'mirror.linkerd.io/exported': 'true'},
      api: {'mirror.linkerd.io/exported': 'remote-discovery'},
      frontend: {'mirror.linkerd.io/federated': 'member'},
    })
    const anchorPem = readFileSync(join(work, 'certs', 'root.crt'), 'utf8')
    const issuers = new Set<string>()
    for (const c of ['west', 'east', 'north']) {
      const roots = await kubectl('--context', c, 'get', 'configmap', '-n', 'linkerd', 'linkerd-identity-trust-roots', '-o', 'jsonpath={.data.ca-bundle\\.crt}')
      expect(roots.trim()).toBe(anchorPem.trim())
      // The control plane's render carries the issuer (Linkerd's own `linkerd.io/tls` scheme).
      const secret = JSON.parse(await kubectl('--context', c, 'get', 'secret', '-n', 'linkerd', 'linkerd-identity-issuer', '-o', 'json')) as {type: string; data: Record<string, string>; metadata: {labels: Record<string, string>}}
      expect(Object.keys(secret.data).sort()).toEqual(['crt.pem', 'key.pem'])
      expect(secret.metadata.labels).toMatchObject({'app.kubernetes.io/managed-by': 'mcfed', 'mcfed.io/federation': 'mc-demo', 'mcfed.io/component': 'control-plane'})
      const crt = join(work, `${c}-issuer.crt`)
      writeFileSync(crt, Buffer.from(secret.data['crt.pem']!, 'base64'))
      expect((await run('openssl', ['verify', '-CAfile', join(work, 'certs', 'root.crt'), crt])).stdout).toContain('OK')
      issuers.add(secret.data['crt.pem']!)
    }
    expect(issuers.size).toBe(3)

    // A no-op plan makes a constant number of LISTs per cluster and no GET of any object, whatever
    // the number of objects and namespaces: twelve for labels, issuers and Links (Services with each of
    // the two mode label keys, the linkerd ConfigMaps, the issuer's Secret alone for the fleet's
    // trust read first, mcfed's Secrets, Links, remote-access
    // ServiceAccounts, ClusterRoles and bindings, the extension's Services, the destination
    // controller's Deployment, the credential readers' RoleBindings; the controllers' Deployments are
    // the install's own objects under install: mcfed, read from its inventory), one for the
    // Servers mcfed owns (none of its own, and no allow list: its other policy kinds are not listed),
    // one for mcfed's ConfigMaps (the render records among them), and one per kind Linkerd's renders
    // contain (sixteen for 2.19), found by the inventory label, less the seven kinds the lists
    // before already hold under the owner labels (Secrets, ServiceAccounts, ClusterRoles and
    // bindings, RoleBindings, Servers, ConfigMaps). The records vouch for every component: no render.
    const before = await requestCounts('north')
    expect((await mcfed('plan', '-f', spec, '--detailed-exitcode')).code).toBe(0)
    const after = await requestCounts('north')
    expect((after.LIST ?? 0) - (before.LIST ?? 0)).toBe(12 + 1 + 1 + (16 - 7))
    expect((after.GET ?? 0) - (before.GET ?? 0)).toBe(0)

    // Drift made by hand is seen (exit 2) and repaired.
    await kubectl('--context', 'east', 'label', 'svc', '-n', 'mc-demo', 'api', 'mirror.linkerd.io/exported=true', '--overwrite')
    await kubectl('--context', 'north', 'delete', 'secret', '-n', 'linkerd', 'linkerd-identity-issuer')
    const drift = await mcfed('drift', '-f', spec, '--no-color')
    expect(drift.code).toBe(2)
    expect(drift.stdout).toContain('~ label_value = "true" -> "remote-discovery"')
    expect(drift.stdout).toContain('# linkerd_issuer.north will be created')
    expect((await mcfed('apply', '-f', spec, '--auto-approve')).code).toBe(0)
    expect((await mcfed('drift', '-f', spec)).code).toBe(0)

    // A foreign issuer (another root) is planned as a replace that says why, and apply re-issues it.
    const foreign = join(work, 'foreign')
    await run('bash', ['-c', [
      `mkdir -p ${foreign} && cd ${foreign}`,
      'openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt -days 30 -subj /CN=root.other -addext basicConstraints=critical,CA:TRUE,pathlen:1 2>/dev/null',
      'openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout issuer.key -out issuer.csr -subj /CN=identity.linkerd.cluster.local 2>/dev/null',
      'printf "basicConstraints=critical,CA:TRUE,pathlen:0\\nkeyUsage=critical,keyCertSign,cRLSign\\n" > ext.cnf',
      'openssl x509 -req -in issuer.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 -extfile ext.cnf -out issuer.crt 2>/dev/null',
    ].join(' && ')])
    writeFileSync(join(foreign, 'secret.yaml'), issuerSecret(join(foreign, 'issuer.crt'), join(foreign, 'issuer.key')))
    await kubectl('--context', 'west', 'apply', '--server-side', '--force-conflicts', '--field-manager', 'someone-else', '-f', join(foreign, 'secret.yaml'))
    const replaced = await mcfed('plan', '-f', spec, '--no-color')
    expect(replaced.stdout).toContain("# linkerd_issuer.west must be replaced (the issuer is not signed by the spec's trust anchor (or, from a rotation's issuers phase on, trustAnchor.next))")
    expect((await mcfed('apply', '-f', spec, '--auto-approve')).code).toBe(0)
    expect((await mcfed('plan', '-f', spec, '--detailed-exitcode')).code).toBe(0)

    // An issuer signed by the right anchor but expiring within renewBefore is replaced, with its date.
    await run('bash', ['-c', [
      `cd ${foreign}`,
      'openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout short.key -out short.csr -subj /CN=identity.linkerd.cluster.local 2>/dev/null',
      `openssl x509 -req -in short.csr -CA ${join(work, 'certs', 'root.crt')} -CAkey ${join(work, 'certs', 'root.key')} -CAcreateserial -days 1 -extfile ext.cnf -out short.crt 2>/dev/null`,
    ].join(' && ')])
    writeFileSync(join(foreign, 'short.yaml'), issuerSecret(join(foreign, 'short.crt'), join(foreign, 'short.key')))
    await kubectl('--context', 'east', 'apply', '--server-side', '--force-conflicts', '--field-manager', 'someone-else', '-f', join(foreign, 'short.yaml'))
    const expiring = await mcfed('plan', '-f', spec, '--no-color')
    expect(expiring.stdout).toMatch(/# linkerd_issuer\.east must be replaced \(the issuer expires 20\d\d-\d\d-\d\dT[\d:.]+Z, within renewBefore\)/)
    expect((await mcfed('apply', '-f', spec, '--auto-approve')).code).toBe(0)
    expect((await mcfed('plan', '-f', spec, '--detailed-exitcode')).code).toBe(0)

    // A cluster whose API server stops answering is unknown, never "no changes".
    const pid = await apiserverPid('north')
    process.kill(pid, 'SIGSTOP')
    try {
      const blind = await mcfed('plan', '-f', spec, '--no-color', '--detailed-exitcode')
      expect(blind.code).toBe(1)
      expect(blind.stdout + blind.stderr).toContain('error[kube/unreachable]: cluster north is unreachable (no answer within 15s)')
      expect(blind.stdout).not.toContain('matches the spec')
      const allowed = await mcfed('plan', '-f', spec, '--no-color', '--allow-unreachable')
      expect(allowed.code).toBe(0)
      expect(allowed.stdout, allowed.stdout).toContain('north could not be read, so their state is unknown')
    } finally {
      process.kill(pid, 'SIGCONT')
    }

    // Every output of every command above: no private key, no bearer token.
    for (const format of ['json', 'markdown', 'text']) await mcfed('plan', '-f', spec, '--format', format)
    await mcfed('apply', '-f', spec, '--auto-approve', '--json')
    const all = outputs.join('\n')
    expect(all).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/)
    expect(all).not.toContain(readFileSync(join(work, 'certs', 'root.key'), 'utf8').split('\n')[1]!)
    expect(all).not.toMatch(/"token"|Bearer /)
  })
})
