import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {afterAll, describe, expect, inject, test} from 'vitest'

import {mcfedAsync, type CliResult} from '../support/cli.js'
import {installLinkerdFromRenders, type MeshClusters} from '../support/mesh-clusters.js'

/**
 * The whole story on the sandbox with an external installer: mcfed creates the GKE clusters (real
 * API servers), the installer puts Linkerd in them from the recorded 2.19 renders, mcfed writes the
 * Links, whose gateway link names east's load balancer.
 */
const run = promisify(execFile)
const work = mkdtempSync(join(tmpdir(), 'mcfed-sbxl-'))
const spec = join(work, 'federation.yaml')
writeFileSync(spec, readFileSync('examples/three-region/federation.yaml', 'utf8').replace('version: "2.18"', 'version: "2.19"\n    install: external'))
const env = {MCFED_SANDBOX_DIR: join(work, 'sandbox'), MCFED_KUBE_BIN: inject('kubeBin'), MCFED_SANDBOX: '1'}
const mcfed = (...args: string[]): Promise<CliResult> => mcfedAsync(args, env)
const kubeconfig = join(work, 'sandbox', 'kubeconfig')
const kubectl = async (context: string, ...args: string[]) => (await run('kubectl', ['--kubeconfig', kubeconfig, '--context', context, ...args], {maxBuffer: 1 << 26})).stdout

afterAll(async () => {
  await mcfedAsync(['sandbox', 'down', '--purge'], env)
})

describe('Links on sandbox GKE clusters, Linkerd installed by someone else', () => {
  test('links wait for the clusters, then for the extension, then land', {timeout: 600_000}, async () => {
    expect((await mcfed('certs', 'init', '-f', spec)).code).toBe(0)
    expect((await mcfed('sandbox', 'up')).code).toBe(0)

    const plan = await mcfed('plan', '-f', spec, '--no-color')
    expect(plan.stdout + plan.stderr).toContain('warning[linkerd/links-waiting]: 8 Links wait for west, east, north, which do not exist yet')
    expect(plan.stdout).not.toContain('linkerd_link.')
    const first = await mcfed('apply', '-f', spec, '--auto-approve', '--no-color')
    // The Services mcfed labels are the app's to deploy: that step fails until they exist.
    expect(first.stdout).toContain('Service mc-demo/analytics does not exist in east')

    const mesh = {clusters: ['west', 'east', 'north'].map((name) => ({name})), kubectl} as unknown as MeshClusters
    for (const c of ['west', 'east', 'north']) await kubectl(c, 'apply', '-f', 'examples/three-region/services.yaml')
    await installLinkerdFromRenders(mesh, 'edge-25.10.7')
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
    const secret = await kubectl('north', 'get', 'secret', '-n', 'linkerd-multicluster', 'cluster-credentials-west', '-o', 'jsonpath={.data.kubeconfig}')
    const server = (await kubectl('west', 'config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}')).trim()
    expect(Buffer.from(secret, 'base64').toString()).toContain(`server: ${server}`)

    const again = await mcfed('plan', '-f', spec, '--detailed-exitcode', '--no-color')
    expect(again.code, again.stdout + again.stderr).toBe(0)
  })
})
