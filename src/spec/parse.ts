import {readFile} from 'node:fs/promises'
import {text} from 'node:stream/consumers'

import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {UserError} from '../diagnostics/errors.js'
import {loadYaml} from './load.js'
import {validateSchema} from './schema.js'
import type {SourceMap} from './source-map.js'
import type {FederationSpec} from './types.js'

export interface ParsedSpec {
  readonly file: string
  /** Present only when the document is well-formed and matches the schema. */
  readonly spec?: FederationSpec
  readonly sourceMap: SourceMap
  readonly diagnostics: Diagnostic[]
  /** `metadata.name` whenever the YAML could be read, even if the spec is otherwise invalid. */
  readonly name?: string
}

/** Environment variables that override spec fields, so one spec serves several projects. */
export interface SpecOverrides {
  readonly MCFED_GCP_PROJECT?: string
}

/** Text → typed spec with defaults, or diagnostics. Pure: the caller reads the file. */
export function parseSpec(file: string, text: string, env: SpecOverrides = {}): ParsedSpec {
  const loaded = loadYaml(file, text)
  if (loaded.data === undefined) return {file, sourceMap: loaded.sourceMap, diagnostics: loaded.diagnostics, name: nameFromText(text)}
  const metadata = (loaded.data as {metadata?: {name?: unknown}}).metadata
  const name = typeof metadata?.name === 'string' ? metadata.name : undefined
  const schemaDiagnostics = validateSchema(loaded.data, loaded.sourceMap)
  if (schemaDiagnostics.length > 0) return {file, sourceMap: loaded.sourceMap, diagnostics: schemaDiagnostics, name}
  let spec = withLinkModes(loaded.data as FederationSpec)
  const project = env.MCFED_GCP_PROJECT?.trim()
  if (project) spec = {...spec, spec: {...spec.spec, gcp: {...spec.spec.gcp, project}}}
  return {file, spec, sourceMap: loaded.sourceMap, diagnostics: [], name}
}

/** The spec named on the command line: `-` is standard input, as for kubectl and terraform. */
export const STDIN_SPEC = '-'

/** Reads a spec's text; a missing, unreadable or directory path is a UserError, not a diagnostic. */
export async function readSpecText(file: string): Promise<string> {
  const hint = 'pass the spec with -f path/to/federation.yaml, or -f - to read it from standard input'
  if (file === STDIN_SPEC) {
    if (process.stdin.isTTY) throw new UserError('-f - reads the spec from standard input, but standard input is a terminal', 'pipe the spec in: `cat federation.yaml | mcfed plan -f -`')
    return await text(process.stdin)
  }
  try {
    return await readFile(file, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new UserError(`spec file ${file} does not exist`, hint)
    if (code === 'EISDIR') throw new UserError(`${file} is a directory, not a spec file`, `name the file inside it, e.g. -f ${file.replace(/\/$/, '')}/federation.yaml`)
    if (code === 'EACCES' || code === 'EPERM') throw new UserError(`spec file ${file} is not readable (permission denied)`, hint)
    throw new UserError(`cannot read spec file ${file} (${code ?? (e as Error).message})`, hint)
  }
}

/** Reads and parses a spec; see readSpecText for what `file` may be. */
export async function readSpec(file: string, env: SpecOverrides = process.env): Promise<ParsedSpec & {text: string}> {
  const specText = await readSpecText(file)
  return {...parseSpec(file, specText, env), text: specText}
}

/**
 * `metadata.name` from text the YAML parser rejected, looked for line by line, so that a CI comment
 * about the broken spec still updates the federation's own comment.
 */
function nameFromText(text: string): string | undefined {
  const m = /^metadata:[ \t]*\r?\n(?:[ \t]+.*\r?\n)*?[ \t]+name:[ \t]*["']?([a-z0-9-]+)["']?[ \t]*(?:#.*)?$/m.exec(text)
  return m?.[1]
}

/** `mode` of an explicit link defaults to flat; the schema cannot fill defaults inside `anyOf`. */
function withLinkModes(spec: FederationSpec): FederationSpec {
  const links = spec.spec.links
  if (links === 'full-mesh') return spec
  return {...spec, spec: {...spec.spec, links: links.map((l) => ({...l, mode: l.mode ?? 'flat'}))}}
}
