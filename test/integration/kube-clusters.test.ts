import {execFile} from 'node:child_process'
import {request} from 'node:https'
import {promisify} from 'node:util'

import {describe, expect, inject, test} from 'vitest'

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
})
