import {createTwoFilesPatch, diffLines} from 'diff'

import type {Tree} from './tree.js'

export type FileChange = {
  readonly path: string
  readonly action: 'create' | 'update' | 'delete' | 'rename'
  /** A rename's old path. */
  readonly from?: string
  readonly added: number
  readonly removed: number
  readonly patch: string
}

/** A deleted and a created file in one directory that share at least this share of lines are one renamed file, as git shows them. */
const RENAME_SIMILARITY = 0.5

/** What writing `rendered` over `current` changes, file by file in path order, with unified diffs. */
export function diffTrees(current: Tree, rendered: Tree): FileChange[] {
  const paths = [...new Set([...current.keys(), ...rendered.keys()])].sort()
  const created = paths.filter((p) => !current.has(p) && rendered.has(p))
  const deleted = paths.filter((p) => current.has(p) && !rendered.has(p))
  const renamedFrom = new Map<string, string>()
  for (const to of created) {
    const from = deleted.find((d) => !renamedFrom.has(d) && dirOf(d) === dirOf(to) && similarity(current.get(d)!, rendered.get(to)!) >= RENAME_SIMILARITY)
    if (from) renamedFrom.set(from, to)
  }
  const renamedTo = new Map([...renamedFrom.entries()].map(([from, to]) => [to, from]))
  const out: FileChange[] = []
  for (const path of paths) {
    if (renamedFrom.has(path)) continue
    const from = renamedTo.get(path)
    const before = from ? current.get(from) : current.get(path)
    const after = rendered.get(path)
    if (before === after && !from) continue
    const patch = createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${from ?? path}`, after === undefined ? '/dev/null' : `b/${path}`, before ?? '', after ?? '', undefined, undefined, {context: 3})
      .split('\n')
      .slice(1) // the `====` rule the package prints first
      .join('\n')
    const lines = patch.split('\n')
    out.push({
      path,
      action: from ? 'rename' : before === undefined ? 'create' : after === undefined ? 'delete' : 'update',
      ...(from ? {from} : {}),
      added: lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).length,
      removed: lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).length,
      patch,
    })
  }
  return out
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'))
}

function similarity(a: string, b: string): number {
  let same = 0
  for (const part of diffLines(a, b)) if (!part.added && !part.removed) same += part.count ?? 0
  return same / Math.max(a.split('\n').length, b.split('\n').length)
}

/** The cluster a tree path belongs to (`clusters/<c>/…`), or `engine`. */
export function scopeOf(path: string): string {
  const [top, cluster] = path.split('/')
  return top === 'clusters' && cluster ? cluster : top ?? path
}
