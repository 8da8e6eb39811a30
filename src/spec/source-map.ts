import {isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node} from 'yaml'

import type {SourceLocation} from '../diagnostics/diagnostic.js'

export type SpecPath = readonly (string | number)[]

/** A YAML document with the line counter its parse filled. */
export interface ParsedYaml {
  readonly doc: Document
  readonly lines: LineCounter
}

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
  private parsed: ParsedYaml | undefined

  /** `source` may be a thunk: a spec that needs no location is then never parsed for positions. */
  constructor(
    readonly file: string,
    private readonly source: ParsedYaml | (() => ParsedYaml),
  ) {}

  private get doc(): Document {
    return this.resolved().doc
  }

  private get lines(): LineCounter {
    return this.resolved().lines
  }

  private resolved(): ParsedYaml {
    this.parsed ??= typeof this.source === 'function' ? this.source() : this.source
    return this.parsed
  }

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
