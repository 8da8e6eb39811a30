import {readFileSync, readdirSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'

import ts from 'typescript'
import {describe, expect, it} from 'vitest'

/**
 * The floors of src/, lowest first. A file may import from its own floor and the floors below it,
 * never from above: the pure core (spec → desired graph → plan, and what renders or judges them)
 * loads and tests without a provider, a sandbox or a command. docs/architecture.md says why each
 * folder sits where it does.
 */
const FLOORS: readonly (readonly string[])[] = [
  ['model', 'diagnostics', 'util', 'spec', 'graph', 'plan', 'validate', 'render', 'linkerd', 'verify', 'drill', 'rotation', 'gitops'],
  ['kinds', 'providers', 'sandbox', 'log'],
  ['apply', 'engine'],
  ['cli', 'commands'],
]

/** Modules that reach a process, the network or a cloud: never imported by the core. */
const SIDE_EFFECTS = /^(node:)?(child_process|net|http|https|http2|dgram|tls|cluster|worker_threads)$|^@google-cloud\/|^@kubernetes\/client-node$/

const SRC = resolve('src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return sourceFiles(path)
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : []
  })
}

interface Import {
  readonly from: string
  readonly specifier: string
  /** The imported file under src/, for a relative import. */
  readonly to?: string
  readonly typeOnly: boolean
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8')
  const info = ts.preProcessFile(text, true, true)
  return info.importedFiles.map(({fileName, pos}) => {
    const statement = text.slice(text.lastIndexOf('\n', pos) + 1, pos)
    const typeOnly = /^\s*(import|export)\s+type\b/.test(statement)
    const to = fileName.startsWith('.') ? resolve(dirname(file), fileName).replace(/\.js$/, '.ts') : undefined
    return {from: file, specifier: fileName, to, typeOnly}
  })
}

const folderOf = (file: string) => relative(SRC, file).split('/')[0]!
const floorOf = (file: string) => FLOORS.findIndex((f) => f.includes(folderOf(file)))
const name = (file: string) => relative(SRC, file)

const files = sourceFiles(SRC)
const imports = files.flatMap(importsOf)

/** Strongly connected components of the import graph with more than one file (Tarjan). */
function circles(): string[][] {
  const edges = new Map<string, string[]>(files.map((f) => [f, []]))
  for (const i of imports) if (i.to && edges.has(i.to)) edges.get(i.from)!.push(i.to)
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (v: string): void => {
    index.set(v, next)
    low.set(v, next++)
    stack.push(v)
    onStack.add(v)
    for (const w of edges.get(v)!) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1) found.push(component.map(name).sort())
    }
  }
  for (const f of files) if (!index.has(f)) visit(f)
  return found
}

describe('the floors of src/', () => {
  it('every folder of src/ sits on a floor', () => {
    const folders = [...new Set(files.map(folderOf))].filter((f) => !f.endsWith('.ts'))
    expect(folders.filter((f) => !FLOORS.some((floor) => floor.includes(f)))).toEqual([])
  })

  it('no file imports from a floor above its own', () => {
    const upward = imports
      .filter((i) => i.to && floorOf(i.to) > floorOf(i.from))
      .map((i) => `${name(i.from)} → ${name(i.to!)}`)
    expect(upward).toEqual([])
  })

  it('the core imports nothing that spawns, connects or calls a cloud', () => {
    const core = imports.filter((i) => floorOf(i.from) === 0 && !i.typeOnly && SIDE_EFFECTS.test(i.specifier))
    expect(core.map((i) => `${name(i.from)} → ${i.specifier}`)).toEqual([])
  })

  it('no circle of imports holds a file of the core and a file of another floor', () => {
    const mixed = circles().filter((c) => c.some((f) => floorOf(join(SRC, f)) === 0) && c.some((f) => floorOf(join(SRC, f)) !== 0))
    expect(mixed).toEqual([])
  })
})
