import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {describe, expect, inject, test} from 'vitest'

import {mcfedAsync} from '../support/cli.js'

/**
 * Clusters mcfed does not create, reached through `kubeContext` in the global setup's kubeconfig:
 * the Kubernetes layer alone, against real API servers. This file is the only writer of their
 * `linkerd` namespace; the Services it labels live in namespaces of its own.
 */
const run = promisify(execFile)
const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', inject('kubeconfig'), ...args])).stdout
const work = mkdtempSync(join(tmpdir(), 'mcfed-ctx-'))
// No linkerd CLI anywhere: `install: mcfed` then leaves Linkerd's components out and says so once.
const env = {KUBECONFIG: inject('kubeconfig'), MCFED_LAYERS: 'kube', PATH: '/usr/bin:/bin', MCFED_LINKERD_CLI: ''}
const mcfed = (...args: string[]) => mcfedAsync(args, env)

const base = readFileSync('examples/three-region/federation.yaml', 'utf8')
  .replace(/(\n    (west|east|north):\n)/g, '$1      kubeContext: $2\n')
  .replace(/namespace: mc-demo/g, 'namespace: ctx-shop')
function writeSpec(name: string, extraService: string): string {
  const path = join(work, name)
  writeFileSync(path, base.replace('  services:\n', `  services:\n${extraService}`))
  return path
}
const withInvoices = writeSpec('with.yaml', '    invoices:\n      namespace: ctx-billing\n      mode: flat\n      clusters: [west]\n')
const without = writeSpec('without.yaml', '')
const labels = async (ns: string, svc: string) => JSON.parse(await kubectl('--context', 'west', 'get', 'svc', '-n', ns, svc, '-o', 'jsonpath={.metadata.labels}') || '{}') as Record<string, string>

describe('clusters reached through kubeContext', () => {
  test('labels land while Linkerd waits for its CLI; a service whose namespace left the spec loses only the label mcfed set', {timeout: 300_000}, async () => {
    const services = readFileSync('examples/three-region/services.yaml', 'utf8').replace(/mc-demo/g, 'ctx-shop')
    writeFileSync(join(work, 'services.yaml'), services)
    const billing = [
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: ctx-billing}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: invoices, namespace: ctx-billing}\nspec: {ports: [{port: 80}]}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: ledger, namespace: ctx-billing}\nspec: {ports: [{port: 80}]}',
    ].join('\n---\n')
    writeFileSync(join(work, 'billing.yaml'), billing)
    for (const c of ['west', 'east', 'north']) await kubectl('--context', c, 'apply', '-f', join(work, 'services.yaml'))
    await kubectl('--context', 'west', 'apply', '-f', join(work, 'billing.yaml'))
    // A label someone else manages, on a Service the spec never names: never mcfed's to remove.
    await kubectl('--context', 'west', 'label', 'svc', '-n', 'ctx-billing', 'ledger', 'mirror.linkerd.io/exported=true')

    expect((await mcfed('certs', 'init', '-f', withInvoices)).code).toBe(0)
    const applied = await mcfed('apply', '-f', withInvoices, '--auto-approve', '--no-color')
    expect(applied.code, applied.stdout + applied.stderr).toBe(0)
    expect(await labels('ctx-billing', 'invoices')).toEqual({'mirror.linkerd.io/exported': 'remote-discovery'})
    expect((await labels('ctx-shop', 'frontend'))['mirror.linkerd.io/federated']).toBe('member')
    // Without the linkerd CLI nothing of Linkerd's is written (its issuer belongs to the control plane's render), and one warning says why.
    expect(applied.stdout.match(/warning\[linkerd\/cli-missing\]/g)).toHaveLength(1)
    expect(applied.stdout).toMatch(/the linkerd CLI 2\.18 \(edge-25\.4\.4\) is needed to render Linkerd's manifests, but no `linkerd` executable on PATH/)
    await expect(kubectl('--context', 'north', 'get', 'secret', '-n', 'linkerd', 'linkerd-identity-issuer')).rejects.toThrow(/NotFound|not found/)
    expect((await mcfed('plan', '-f', withInvoices, '--detailed-exitcode')).code).toBe(0)

    // A mode label removed by hand: the Service drops out of the label lists, one GET finds it.
    await kubectl('--context', 'west', 'label', 'svc', '-n', 'ctx-shop', 'frontend', 'mirror.linkerd.io/federated-')
    const drift = await mcfed('drift', '-f', withInvoices, '--no-color')
    expect(drift.code).toBe(2)
    expect(drift.stdout).toContain('# service_label.west/ctx-shop/frontend will be updated in place')
    expect(drift.stdout).toContain('+ label_value = "member"')
    expect((await mcfed('apply', '-f', withInvoices, '--auto-approve')).code).toBe(0)
    expect((await labels('ctx-shop', 'frontend'))['mirror.linkerd.io/federated']).toBe('member')

    const dropped = await mcfed('plan', '-f', without, '--no-color', '--detailed-exitcode')
    expect(dropped.code).toBe(2)
    expect(dropped.stdout).toContain('# service_label.west/ctx-billing/invoices will be destroyed')
    expect(dropped.stdout).not.toContain('ledger')
    expect(dropped.stdout).toContain('Plan: 0 to add, 0 to change, 0 to replace, 1 to destroy.')
    expect((await mcfed('apply', '-f', without, '--auto-approve')).code).toBe(0)
    expect(await labels('ctx-billing', 'invoices')).toEqual({})
    expect(await labels('ctx-billing', 'ledger')).toEqual({'mirror.linkerd.io/exported': 'true'})
    expect((await mcfed('plan', '-f', without, '--detailed-exitcode')).code).toBe(0)
  })
})
