import {mkdir, readdir, readFile, rename, rmdir, unlink, writeFile} from 'node:fs/promises'
import {dirname, join, relative, sep} from 'node:path'

import {TREE_DIRS, type Tree} from './tree.js'
import type {FileChange} from './tree-diff.js'
import {compareCodePoints} from '../util/compare.js'

/** The files of the directories render owns under `dir` (`clusters/`, `engine/`); nothing else is read. */
export async function readTree(dir: string): Promise<Tree> {
  const files = new Map<string, string>()
  for (const top of TREE_DIRS) {
    const root = join(dir, top)
    let entries: string[]
    try {
      entries = (await readdir(root, {recursive: true, withFileTypes: true})).filter((e) => e.isFile()).map((e) => join(e.parentPath ?? (e as unknown as {path: string}).path, e.name))
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw e
    }
    for (const file of entries) files.set(relative(dir, file).split(sep).join('/'), await readFile(file, 'utf8'))
  }
  return new Map([...files.entries()].sort(([a], [b]) => compareCodePoints(a, b)))
}

/**
 * Writes exactly the changes: new and changed files (each through a temporary file and a rename,
 * so a reader never sees half of one), deleted files removed with the directories they leave
 * empty. Unchanged files are not touched, so their times stay and a re-render of one cluster
 * leaves the others' files as they were.
 */
export async function writeTreeChanges(dir: string, rendered: Tree, changes: readonly FileChange[]): Promise<void> {
  for (const change of changes) {
    const file = join(dir, ...change.path.split('/'))
    if (change.action !== 'delete') {
      await mkdir(dirname(file), {recursive: true})
      const temporary = `${file}.mcfed-${process.pid}.tmp`
      await writeFile(temporary, rendered.get(change.path)!)
      await rename(temporary, file)
    }
    const gone = change.action === 'delete' ? file : change.from ? join(dir, ...change.from.split('/')) : undefined
    if (gone) {
      await unlink(gone)
      await removeEmptyParents(dir, dirname(gone))
    }
  }
}

async function removeEmptyParents(root: string, dir: string): Promise<void> {
  while (relative(root, dir) !== '' && !relative(root, dir).startsWith('..')) {
    try {
      await rmdir(dir)
    } catch {
      return
    }
    dir = dirname(dir)
  }
}
