import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {afterAll, beforeEach, describe, expect, inject, test} from 'vitest'

import {parseSpec} from '../../src/spec/parse.js'
import {mcfedAsync, type CliResult} from '../support/cli.js'
import {L219, linkerdBinaries, requireLinkerd} from '../support/linkerd.js'
import {installLinkerdExternally, kubectlIn, type MeshClusters} from '../support/mesh-clusters.js'
import {SEED_MIRRORS, waitForMirrors} from '../support/mirrors.js'

/**
 * The whole story on the sandbox with an external installer: mcfed creates the GKE clusters (real
 * API servers whose pods run), the installer puts Linkerd in them with Linkerd's own 2.19 CLI, the
 * sandbox runs Linkerd's own controllers for its pods, mcfed writes the Links, and the controllers
 * mirror through them; the gateway link names east's load balancer.
 */
const run = promisify(execFile)
const linkerd = linkerdBinaries(L219)
const work = mkdtempSync(join(tmpdir(), 'mcfed-sbxl-'))
const spec = join(work, 'federation.yaml')
const text = readFileSync('examples/three-region/federation.yaml', 'utf8').replace('version: "2.18"', 'version: "2.19"\n    install: external')
writeFileSync(spec, text)
const env = {MCFED_SANDBOX_DIR: join(work, 'sandbox'), MCFED_KUBE_BIN: inject('kubeBin'), MCFED_SANDBOX: '1'}
const mcfed = (...args: string[]): Promise<CliResult> => mcfedAsync(args, env)
const kubeconfig = join(work, 'sandbox', 'kubeconfig')
const kubectl = (context: string, ...args: string[]) => kubectlIn(kubeconfig, context, ...args)

afterAll(async () => {
  await mcfedAsync(['sandbox', 'down', '--purge'], env)
})

beforeEach((ctx) => void requireLinkerd(ctx, L219))

describe('Links on sandbox GKE clusters, Linkerd installed by someone else', () => {
  test('links wait for the clusters, then for the extension, then land, and Linkerd\'s controllers mirror through them', {timeout: 900_000}, async () => {
    expect((await mcfed('certs', 'init', '-f', spec)).code).toBe(0)
    expect((await mcfed('sandbox', 'up')).code).toBe(0)

    const plan = await mcfed('plan', '-f', spec, '--no-color')
    expect(plan.stdout + plan.stderr).toContain('warning[linkerd/links-waiting]: 8 Links wait for west, east, north, which do not exist yet')
    expect(plan.stdout).not.toContain('linkerd_link.')
    const first = await mcfed('apply', '-f', spec, '--auto-approve', '--no-color')
    // The Services mcfed labels are the app's to deploy: that step fails until they exist.
    expect(first.stdout).toContain('Service mc-demo/analytics does not exist in east')

    const mesh = {clusters: ['west', 'east', 'north'].map((name) => ({name})), kubectl, kubeconfig} as unknown as MeshClusters
    for (const c of ['west', 'east', 'north']) await kubectl(c, 'apply', '-f', 'examples/three-region/services.yaml')
    await installLinkerdExternally(mesh, {cli: linkerd.ok ? linkerd.cli! : '', spec: parseSpec(spec, text, {}).spec!, anchorPem: readFileSync(join(work, 'certs', 'root.crt'), 'utf8')})
    const second = await mcfed('apply', '-f', spec, '--auto-approve', '--no-color')
    expect(second.code, second.stdout + second.stderr).toBe(0)
    expect(second.stdout).toContain('linkerd_link.west/east-gw: Creation complete')

    const names = async (c: string) => (await kubectl(c, 'get', 'links.multicluster.linkerd.io', '-n', 'linkerd-multicluster', '-o', 'jsonpath={.items[*].metadata.name}')).split(' ').sort()
    expect(await names('west')).toEqual(['east', 'east-gw', 'north'])
    expect(await names('east')).toEqual(['north', 'west'])
    expect(await names('north')).toEqual(['east', 'east-gw', 'west'])
    const gateway = (await kubectl('east', 'get', 'svc', '-n', 'linkerd-multicluster', 'linkerd-gateway', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}')).trim()
    expect(gateway).toMatch(/^192\.0\.2\.\d+$/)
    expect((await kubectl('west', 'get', 'links.multicluster.linkerd.io', '-n', 'linkerd-multicluster', 'east-gw', '-o', 'jsonpath={.spec.gatewayAddress}:{.spec.gatewayPort}')).trim()).toBe(`${gateway}:4143`)
    // The credentials name the target's API server as the sandbox serves it.
    const secret = await kubectl('north', 'get', 'secret', '-n', 'linkerd-multicluster', 'cluster-credentials-west-g1', '-o', 'jsonpath={.data.kubeconfig}')
    const server = (await run('kubectl', ['--kubeconfig', kubeconfig, '--context', 'west', 'config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'])).stdout.trim()
    expect(Buffer.from(secret, 'base64').toString()).toContain(`server: ${server}`)

    // The sandbox runs Linkerd's controllers for the installed pods; they mirror what the spec exports.
    await waitForMirrors(mesh, SEED_MIRRORS)
    const status = JSON.parse((await mcfed('sandbox', 'status', '--json')).stdout) as {controllers: {cluster: string; pod: string; container: string; state: string; release: string}[]}
    const running = status.controllers.filter((c) => c.state === 'running').map((c) => `${c.cluster} ${c.pod.replace(/-[a-z0-9]+-[a-z0-9]+$/, '')} ${c.container}`).sort()
    expect(running).toEqual(
      [
        ...['west', 'east', 'north'].flatMap((c) => [`${c} linkerd-destination destination`, `${c} linkerd-local-service-mirror service-mirror`]),
        ...['west east', 'west east-gw', 'west north', 'east north', 'east west', 'north east', 'north east-gw', 'north west'].map((p) => `${p.split(' ')[0]} controller-${p.split(' ')[1]} controller`),
      ].sort(),
    )
    expect((await mcfed('verify', '-f', spec, '--wait', '60s')).code).toBe(0)

    const again = await mcfed('plan', '-f', spec, '--detailed-exitcode', '--no-color')
    expect(again.code, again.stdout + again.stderr).toBe(0)
  })
})
