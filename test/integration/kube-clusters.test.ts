import {execFile} from 'node:child_process'
import {request} from 'node:https'
import {promisify} from 'node:util'

import {describe, expect, inject, test} from 'vitest'

import {until} from '../support/until.js'

const run = promisify(execFile)
const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', inject('kubeconfig'), ...args])).stdout

describe('real kube-apiservers from the global setup', () => {
  test('kubectl reaches all three, each its own cluster', async () => {
    for (const context of ['west', 'east', 'north']) {
      const version = JSON.parse(await kubectl('--context', context, 'version', '-o', 'json')) as {serverVersion: {gitVersion: string}}
      expect(version.serverVersion.gitVersion).toBe('v1.32.4')
    }
    const ns = `iso-${process.pid}`
    await kubectl('--context', 'west', 'create', 'namespace', ns)
    expect(await kubectl('--context', 'west', 'get', 'namespace', ns, '-o', 'name')).toBe(`namespace/${ns}\n`)
    await expect(kubectl('--context', 'east', 'get', 'namespace', ns)).rejects.toThrow(/NotFound/)
    await kubectl('--context', 'west', 'delete', 'namespace', ns, '--wait=false')
  })

  test('an anonymous request is refused; the static token is what grants access', async () => {
    const server = (await kubectl('--context', 'north', 'config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}')).trim()
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server}/api/v1/namespaces`, {rejectUnauthorized: false, timeout: 5_000}, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end()
    })
    expect([401, 403]).toContain(status)
  })

  test('as on GKE: token Secrets are filled, a namespace deletes whole, a load balancer gets a TEST-NET-1 address', {timeout: 120_000}, async () => {
    const ns = `fidelity-${process.pid}`
    const k = (...args: string[]) => kubectl('--context', 'east', '-n', ns, ...args)
    await kubectl('--context', 'east', 'create', 'namespace', ns)
    await k('create', 'serviceaccount', 'reader')
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: reader-token, annotations: {kubernetes.io/service-account.name: reader}}\ntype: kubernetes.io/service-account-token\n'
    await run('bash', ['-c', `kubectl --kubeconfig ${inject('kubeconfig')} --context east -n ${ns} apply -f - <<'EOF'\n${secret}EOF`])
    await until('kube-controller-manager fills the token Secret', async () => (await k('get', 'secret', 'reader-token', '-o', 'jsonpath={.data.token}')).length > 0)
    await run('bash', ['-c', `kubectl --kubeconfig ${inject('kubeconfig')} --context east -n ${ns} apply -f - <<'EOF'\napiVersion: v1\nkind: Service\nmetadata: {name: lb}\nspec: {type: LoadBalancer, ports: [{port: 4143}]}\nEOF`])
    let ip = ''
    await until('the load balancer gets an address', async () => (ip = await k('get', 'svc', 'lb', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}')).length > 0)
    expect(ip).toMatch(/^192\.0\.2\.\d{1,3}$/)
    await kubectl('--context', 'east', 'delete', 'namespace', ns, '--wait=false')
    await until('the namespace controller deletes the namespace', async () => !(await kubectl('--context', 'east', 'get', 'namespaces', '-o', 'name')).includes(`namespace/${ns}`))
  })
})
