import {execFile} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {afterAll, describe, expect, inject, test} from 'vitest'

import {mcfedAsync} from '../support/cli.js'
import {gcloudFor} from '../support/gcloud.js'
import {until} from '../support/until.js'

const run = promisify(execFile)
const dir = join(mkdtempSync(join(tmpdir(), 'mcfed-sandbox-')), 'sandbox')
// The cluster side has its own sandbox test (sandbox-kube.test.ts); this one is about the sandbox itself.
const env = {MCFED_SANDBOX_DIR: dir, MCFED_KUBE_BIN: inject('kubeBin'), MCFED_LAYERS: 'gcp'}
const spec = 'examples/three-region/federation.yaml'
const mcfed = (...args: string[]) => mcfedAsync(args, env)

afterAll(async () => {
  await mcfed('sandbox', 'down', '--purge')
})

describe('mcfed sandbox', () => {
  test('every GKE cluster gets a real API server; endpoints, CA and kubeconfig agree; state survives a restart', {timeout: 300_000}, async () => {
    const up = await mcfed('sandbox', 'up', '--json')
    expect(up.code, up.stderr).toBe(0)
    const info = JSON.parse(up.stdout) as {gcp: {endpoint: string}; kubeconfig: string}
    expect(info.gcp.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect((await mcfed('apply', '--sandbox', '-f', spec, '--auto-approve')).code).toBe(0)

    const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', info.kubeconfig, ...args])).stdout
    const gcloud = await gcloudFor(info.gcp.endpoint, 'my-project')
    for (const c of ['west', 'east', 'north']) {
      const described = JSON.parse(await gcloud(['container', 'clusters', 'describe', c, '--location', '-', '--format=json']).catch(() => gcloud(['container', 'clusters', 'list', `--filter=name=${c}`, '--format=json']))) as
        | {endpoint: string; masterAuth: {clusterCaCertificate: string}}
        | {endpoint: string; masterAuth: {clusterCaCertificate: string}}[]
      const cluster = Array.isArray(described) ? described[0]! : described
      const server = (await kubectl('--context', c, 'config', 'view', '--minify', '--raw', '-o', 'jsonpath={.clusters[0].cluster.server}')).trim()
      expect(server).toBe(`https://${cluster.endpoint}`)
      const ca = (await kubectl('--context', c, 'config', 'view', '--minify', '--raw', '-o', 'jsonpath={.clusters[0].cluster.certificate-authority-data}')).trim()
      expect(ca).toBe(Buffer.from(Buffer.from(cluster.masterAuth.clusterCaCertificate, 'base64').toString()).toString('base64'))
      expect(await kubectl('--context', c, 'get', 'ns', 'kube-system', '-o', 'name')).toBe('namespace/kube-system\n')
    }
    // Pods run, as on GKE: a Deployment gets Ready pods with addresses from the cluster's pod range,
    // and the controller manager fills its Service's EndpointSlice from them.
    await kubectl('--context', 'west', 'create', 'deployment', 'web', '--image=example.invalid/web', '--replicas=2', '--port=8080')
    await kubectl('--context', 'west', 'expose', 'deployment', 'web', '--port=8080')
    await kubectl('--context', 'west', 'rollout', 'status', 'deployment/web', '--timeout=60s')
    const pods = JSON.parse(await kubectl('--context', 'west', 'get', 'pods', '-l', 'app=web', '-o', 'json')).items as {status: {podIP: string; phase: string}}[]
    expect(pods.map((p) => p.status.phase)).toEqual(['Running', 'Running'])
    for (const p of pods) expect(p.status.podIP).toMatch(/^10\.10[0-3]\./)
    await until('the EndpointSlice of web lists both pods, ready', async () => {
      const slices = JSON.parse(await kubectl('--context', 'west', 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'json')).items as {endpoints?: {addresses: string[]; conditions: {ready: boolean}}[]}[]
      return slices.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions.ready).length === 2
    })

    await kubectl('--context', 'west', 'create', 'namespace', 'keep-me')
    expect((await mcfed('sandbox', 'down')).code).toBe(0)
    expect((await mcfed('sandbox', 'up')).code).toBe(0)
    expect(await kubectl('--context', 'west', 'get', 'ns', 'keep-me', '-o', 'name')).toBe('namespace/keep-me\n')
    expect((await mcfed('plan', '--sandbox', '-f', spec, '--detailed-exitcode')).code).toBe(0)

    const destroyed = await mcfed('destroy', '--sandbox', '-f', spec, '--auto-approve', '--allow-destroy')
    expect(destroyed.code, destroyed.stderr).toBe(0)
    expect((await kubectl('config', 'get-contexts', '-o', 'name')).trim()).toBe('')
  })
})
