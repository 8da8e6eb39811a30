import {isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node} from 'yaml'

import type {SourceLocation} from '../diagnostics/diagnostic.js'

export type SpecPath = readonly (string | number)[]

/** JSON-pointer form of a spec path, as shown in diagnostics (`/spec/clusters/west/zone`). */
export function pointer(path: SpecPath): string {
  return '/' + path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')
}

export function parsePointer(ptr: string): string[] {
  if (ptr === '' || ptr === '/') return []
  return ptr
    .slice(1)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/**
 * Maps spec paths back to line and column in the original YAML. Lookups fall back to the deepest
 * node that exists, so a missing field points at the mapping that should have held it.
 */
export class SourceMap {
  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Location of the value at `path` (or of its key with `at: 'key'`). */
  locate(path: SpecPath, at: 'key' | 'value' = 'value'): SourceLocation {
    let node: Node | null = this.doc.contents as Node | null
    let keyNode: Node | null = null
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment))
        if (!pair) break
        keyNode = pair.key as Node
        node = (pair.value as Node | null) ?? keyNode
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined
        if (!item) break
        keyNode = null
        node = item
      } else {
        break
      }
    }
    const target = at === 'key' && keyNode ? keyNode : node
    return this.at(target?.range?.[0] ?? 0, path)
  }

  /** Location of a raw character offset in the file. */
  at(offset: number, path: SpecPath = []): SourceLocation {
    const {line, col} = this.lines.linePos(offset)
    return {file: this.file, line, col, path: pointer(path)}
  }
}
