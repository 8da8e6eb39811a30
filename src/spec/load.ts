import jsyaml from 'js-yaml'
import {LineCounter, parseAllDocuments, visit, isScalar, type Document} from 'yaml'

import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {SourceMap} from './source-map.js'

/** Larger specs are refused before parsing: a federation of 300 clusters is far below this. */
export const MAX_SPEC_BYTES = 1024 * 1024
/** Caps alias expansion so a "billion laughs" document cannot exhaust memory. */
export const MAX_ALIAS_COUNT = 100
/** How the full way parses: YAML 1.2's core schema, as the fast way reads (plainMapping). */
const FULL_PARSE = {schema: 'core', uniqueKeys: true, prettyErrors: false} as const
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
    sourceMap: new SourceMap(file, {doc: doc ?? emptyDoc(), lines}),
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

  const plain = plainMapping(text)
  if (plain) return {file, data: plain, sourceMap: new SourceMap(file, () => parseForPositions(text)), diagnostics: []}

  const docs = parseAllDocuments(text, {...FULL_PARSE, lineCounter: lines})
  const documents = Array.isArray(docs) ? docs : []
  const first = documents[0]
  const map = new SourceMap(file, {doc: first ?? emptyDoc(), lines})

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
  const problems = [...doc.errors, ...doc.warnings]
  // One unclosed bracket makes the parser report every later line too; only the first syntax
  // error is the user's, the rest follow from it and would bury it.
  const syntax = problems.filter((e) => !isIndependent(e.code)).sort((a, b) => a.pos[0] - b.pos[0])
  const reported = [...problems.filter((e) => isIndependent(e.code)), ...syntax.slice(0, 1)]
  const following = syntax.length - 1
  const unclosed = syntax.length > 0 ? unclosedBracket(text, Math.max(...syntax.map((e) => e.pos[0]))) : undefined
  if (unclosed !== undefined) {
    const open = text[unclosed]!
    diagnostics.push({
      severity: 'error',
      rule: 'yaml/syntax',
      message: `\`${open}\` is never closed`,
      locations: [map.at(unclosed)],
      hint: `close it with \`${open === '[' ? ']' : '}'}\`, or write the ${open === '[' ? 'list' : 'mapping'} in block style` +
        (syntax.length > 1 ? ` (the ${syntax.length} syntax errors the parser reported after it follow from it)` : ''),
    })
  }
  for (const e of unclosed === undefined ? reported : reported.filter((r) => isIndependent(r.code))) {
    const duplicate = e.code === 'DUPLICATE_KEY'
    diagnostics.push({
      severity: 'error',
      rule: duplicate ? 'yaml/duplicate-key' : e.code === 'TAG_RESOLVE_FAILED' ? 'yaml/unknown-tag' : 'yaml/syntax',
      message: duplicate ? `duplicate key \`${keyAt(text, e.pos[0])}\`` : firstLine(e.message),
      locations: [map.at(e.pos[0])],
      hint: duplicate
        ? 'each key may appear once per mapping; merge the two entries'
        : e === syntax[0] && following > 0
          ? `the parser reported ${following} more syntax error${following === 1 ? '' : 's'} after this one, most likely caused by it; fix this one first`
          : undefined,
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

/**
 * The fast path: the `yaml` parser keeps every node's position, which diagnostics need, and is
 * slow on a large spec (0.4 s for 300 clusters as islands, first run). Text that uses nothing
 * beyond plain mappings, sequences and scalars is read by js-yaml with the same core schema
 * (0.06 s); positions are parsed only if a diagnostic asks for one. Anything else — anchors,
 * aliases, tags, directives, merge keys, reserved keys, several documents, a duplicate key, a
 * syntax error, a top level that is not a mapping — goes the full way, which reports it.
 * test/unit/spec/load.test.ts checks both ways read every spec of the repository alike.
 */
export function plainMapping(text: string): Record<string, unknown> | undefined {
  if (/[&*!%]|<<|__proto__|constructor|prototype/.test(text)) return undefined
  // The two scalars the schemas read differently: js-yaml takes 0b101 as a number, `yaml` +.5.
  if (/\b0b[01]|[+-]\./.test(text)) return undefined
  try {
    const data: unknown = jsyaml.load(text, {schema: jsyaml.CORE_SCHEMA, json: false})
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function parseForPositions(text: string): {doc: Document; lines: LineCounter} {
  const lines = new LineCounter()
  const doc = parseAllDocuments(text, {...FULL_PARSE, lineCounter: lines})
  return {doc: (Array.isArray(doc) ? doc[0] : undefined) ?? emptyDoc(), lines}
}

/**
 * The offset of the last `[` or `{` still open at `before`, outside quotes and comments: where an
 * unterminated flow collection began, which the parser itself reports only where it gave up.
 */
export function unclosedBracket(text: string, before: number): number | undefined {
  const open: number[] = []
  let quote: string | undefined
  for (let i = 0; i < Math.min(before + 1, text.length); i++) {
    const c = text[i]!
    if (quote) {
      if (c === quote && !(quote === '"' && text[i - 1] === '\\')) quote = undefined
      else if (c === '\n') quote = undefined
      continue
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i)
      i = end < 0 ? text.length : end
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s,[{:]/.test(text[i - 1]!))) quote = c
    else if (c === '[' || c === '{') open.push(i)
    else if (c === ']' || c === '}') open.pop()
  }
  return open.at(-1)
}

/** Problems that do not cascade from an earlier syntax error, so each is reported. */
function isIndependent(code: string): boolean {
  return code === 'DUPLICATE_KEY' || code === 'TAG_RESOLVE_FAILED'
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
