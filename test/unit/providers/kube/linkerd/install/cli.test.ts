import {chmodSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, test} from 'vitest'

import {cliProblem, findLinkerdCli} from '../../../../../../src/providers/kube/linkerd/install/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'mcfed-cli-'))
function fakeCli(name: string, printed: string): string {
  const path = join(dir, name)
  writeFileSync(path, `#!/bin/sh\necho '${printed}'\n`)
  chmodSync(path, 0o755)
  return path
}

describe('finding the linkerd CLI of the spec\'s release', () => {
  test('a CLI of the pinned release, named by --linkerd-cli', async () => {
    const cli = await findLinkerdCli('2.19', {flag: fakeCli('right', 'edge-25.10.7'), env: {}})
    expect(cli).toMatchObject({ok: true, version: 'edge-25.10.7'})
  })

  test('MCFED_LINKERD_CLI, then PATH', async () => {
    expect(await findLinkerdCli('edge-25.10.7', {env: {MCFED_LINKERD_CLI: fakeCli('env', 'edge-25.10.7')}})).toMatchObject({ok: true})
    const onPath = mkdtempSync(join(tmpdir(), 'mcfed-path-'))
    writeFileSync(join(onPath, 'linkerd'), '#!/bin/sh\necho edge-25.4.4\n')
    chmodSync(join(onPath, 'linkerd'), 0o755)
    expect(await findLinkerdCli('2.18', {env: {PATH: `/nonexistent:${onPath}`}})).toMatchObject({ok: true, path: join(onPath, 'linkerd')})
  })

  test('a wrong release names what is needed, what was found and where', async () => {
    const cli = await findLinkerdCli('2.19', {flag: fakeCli('old', 'edge-25.4.4'), env: {}})
    expect(cli).toMatchObject({ok: false, needed: '2.19 (edge-25.10.7)', found: 'edge-25.4.4'})
    if (cli.ok) throw new Error('unreachable')
    expect(cliProblem(cli)).toMatch(/linkerd CLI 2\.19 \(edge-25\.10\.7\) is needed.*is edge-25\.4\.4 \(looked at --linkerd-cli /)
  })

  test('no CLI anywhere, or a path that is not executable', async () => {
    const missing = await findLinkerdCli('2.19', {env: {PATH: '/nonexistent'}})
    expect(missing).toMatchObject({ok: false, where: 'PATH', problem: 'no `linkerd` executable on PATH'})
    const plain = join(dir, 'not-executable')
    writeFileSync(plain, 'x')
    expect(await findLinkerdCli('2.19', {flag: plain, env: {}})).toMatchObject({ok: false, problem: expect.stringContaining('not an executable')})
  })
})
