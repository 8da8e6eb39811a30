import {existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, test} from 'vitest'

import {diffTrees} from '../../../src/gitops/tree-diff.js'
import {readTree, writeTreeChanges} from '../../../src/gitops/tree-files.js'

const tree = (entries: Record<string, string>) => new Map(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : 1)))

describe('writing a rendered tree', () => {
  test('writes only changes, prunes what render no longer makes, and leaves files outside clusters/ and engine/ alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcfed-tree-'))
    mkdirSync(join(dir, 'docs'))
    writeFileSync(join(dir, 'docs/README.md'), 'ours\n')
    const first = tree({'clusters/a/links/link.yaml': 'a: 1\n', 'clusters/b/links/link.yaml': 'b: 1\n', 'engine/applicationset.yaml': 'set: 1\n'})
    await writeTreeChanges(dir, first, diffTrees(await readTree(dir), first))
    expect(await readTree(dir)).toEqual(first)
    const untouched = statSync(join(dir, 'clusters/a/links/link.yaml')).mtimeMs
    await new Promise((r) => setTimeout(r, 20))
    const second = tree({'clusters/a/links/link.yaml': 'a: 1\n', 'engine/applicationset.yaml': 'set: 2\n'})
    const changes = diffTrees(await readTree(dir), second)
    expect(changes.map((c) => [c.action, c.path])).toEqual([
      ['delete', 'clusters/b/links/link.yaml'],
      ['update', 'engine/applicationset.yaml'],
    ])
    await writeTreeChanges(dir, second, changes)
    expect(await readTree(dir)).toEqual(second)
    expect(existsSync(join(dir, 'clusters/b'))).toBe(false)
    expect(statSync(join(dir, 'clusters/a/links/link.yaml')).mtimeMs).toBe(untouched)
    expect(readFileSync(join(dir, 'docs/README.md'), 'utf8')).toBe('ours\n')
    expect(diffTrees(await readTree(dir), second)).toEqual([])
  })
})
