import {LineCounter, parseAllDocuments, visit, isScalar, type Document} from 'yaml'

import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {SourceMap} from './source-map.js'

/** Larger specs are refused before parsing: a federation of 300 clusters is far below this. */
export const MAX_SPEC_BYTES = 1024 * 1024
/** Caps alias expansion so a "billion laughs" document cannot exhaust memory. */
export const MAX_ALIAS_COUNT = 100
/** Keys that would reach Object.prototype when the document becomes plain objects. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

export interface LoadedYaml {
  readonly file: string
  /** Plain data, or undefined when the text could not be turned into a mapping. */
  readonly data: unknown
  readonly sourceMap: SourceMap
  readonly diagnostics: Diagnostic[]
}

/**
 * Parses YAML text into plain data while keeping a map back to line and column. Never throws on
 * bad input: every problem becomes a diagnostic and `data` is left undefined.
 */
export function loadYaml(file: string, text: string): LoadedYaml {
  const lines = new LineCounter()
  const diagnostics: Diagnostic[] = []
  const fail = (doc: Document | undefined, d: Diagnostic): LoadedYaml => ({
    file,
    data: undefined,
    sourceMap: new SourceMap(file, doc ?? emptyDoc(), lines),
    diagnostics: [...diagnostics, d],
  })

  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > MAX_SPEC_BYTES) {
    return fail(undefined, {
      severity: 'error',
      rule: 'yaml/too-large',
      message: `spec is ${bytes} bytes; the limit is ${MAX_SPEC_BYTES}`,
      locations: [{file, line: 1, col: 1, path: '/'}],
      hint: 'a federation spec should be a few kilobytes; check that the right file was given',
    })
  }

  const docs = parseAllDocuments(text, {lineCounter: lines, schema: 'core', uniqueKeys: true, prettyErrors: false})
  const documents = Array.isArray(docs) ? docs : []
  const first = documents[0]
  const map = new SourceMap(file, first ?? emptyDoc(), lines)

  if (documents.length === 0 || documents.every((d) => d.contents === null)) {
    return fail(first, {
      severity: 'error',
      rule: 'yaml/empty',
      message: 'spec file is empty',
      locations: [{file, line: 1, col: 1, path: '/'}],
      hint: 'start from examples/three-region/federation.yaml',
    })
  }
  if (documents.length > 1) {
    const second = documents[1]!
    diagnostics.push({
      severity: 'error',
      rule: 'yaml/multiple-documents',
      message: `spec holds ${documents.length} YAML documents; mcfed reads exactly one Federation`,
      locations: [map.at(second.range[0])],
      hint: 'remove the `---` separator and the documents after it, or split them into separate files',
    })
  }
  const doc = first!
  for (const e of [...doc.errors, ...doc.warnings]) {
    const duplicate = e.code === 'DUPLICATE_KEY'
    diagnostics.push({
      severity: 'error',
      rule: duplicate ? 'yaml/duplicate-key' : e.code === 'TAG_RESOLVE_FAILED' ? 'yaml/unknown-tag' : 'yaml/syntax',
      message: duplicate ? `duplicate key \`${keyAt(text, e.pos[0])}\`` : firstLine(e.message),
      locations: [map.at(e.pos[0])],
      hint: duplicate ? 'each key may appear once per mapping; merge the two entries' : undefined,
    })
  }

  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && FORBIDDEN_KEYS.has(String(pair.key.value))) {
        diagnostics.push({
          severity: 'error',
          rule: 'yaml/forbidden-key',
          message: `key \`${String(pair.key.value)}\` is not allowed`,
          locations: [map.at(pair.key.range?.[0] ?? 0)],
          hint: 'this key name is reserved in JavaScript objects and is never a valid federation field',
        })
      }
    },
  })

  if (diagnostics.length > 0) return {file, data: undefined, sourceMap: map, diagnostics}

  let data: unknown
  try {
    data = doc.toJS({maxAliasCount: MAX_ALIAS_COUNT})
  } catch (e) {
    return fail(doc, {
      severity: 'error',
      rule: 'yaml/alias-limit',
      message: `aliases expand beyond the limit of ${MAX_ALIAS_COUNT} (${firstLine((e as Error).message)})`,
      locations: [{file, line: 1, col: 1, path: '/'}],
      hint: 'write the repeated values out instead of nesting aliases',
    })
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail(doc, {
      severity: 'error',
      rule: 'yaml/not-mapping',
      message: `spec must be a mapping (apiVersion, kind, metadata, spec), found ${Array.isArray(data) ? 'a list' : data === null ? 'null' : typeof data}`,
      locations: [map.at(doc.contents?.range?.[0] ?? 0)],
      hint: 'start from examples/three-region/federation.yaml',
    })
  }
  return {file, data, sourceMap: map, diagnostics}
}

/** The key text starting at `offset`, for messages about that key. */
function keyAt(text: string, offset: number): string {
  return /^[^:\n]*/.exec(text.slice(offset))![0].trim().replace(/^["']|["']$/g, '')
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim()
}

function emptyDoc(): Document {
  return parseAllDocuments('{}')[0] as Document
}
