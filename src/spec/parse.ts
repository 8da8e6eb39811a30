import {readFile} from 'node:fs/promises'

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
}

/** Environment variables that override spec fields, so one spec serves several projects. */
export interface SpecOverrides {
  readonly MCFED_GCP_PROJECT?: string
}

/** Text → typed spec with defaults, or diagnostics. Pure: the caller reads the file. */
export function parseSpec(file: string, text: string, env: SpecOverrides = {}): ParsedSpec {
  const loaded = loadYaml(file, text)
  if (loaded.data === undefined) return {file, sourceMap: loaded.sourceMap, diagnostics: loaded.diagnostics}
  const schemaDiagnostics = validateSchema(loaded.data, loaded.sourceMap)
  if (schemaDiagnostics.length > 0) return {file, sourceMap: loaded.sourceMap, diagnostics: schemaDiagnostics}
  let spec = withLinkModes(loaded.data as FederationSpec)
  const project = env.MCFED_GCP_PROJECT?.trim()
  if (project) spec = {...spec, spec: {...spec.spec, gcp: {...spec.spec.gcp, project}}}
  return {file, spec, sourceMap: loaded.sourceMap, diagnostics: []}
}

/** Reads and parses a spec file; a missing or unreadable file is a UserError, not a diagnostic. */
export async function readSpec(file: string, env: SpecOverrides = process.env): Promise<ParsedSpec> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new UserError(
      code === 'ENOENT' ? `spec file ${file} does not exist` : `cannot read spec file ${file}: ${(e as Error).message}`,
      'pass the spec with -f path/to/federation.yaml',
    )
  }
  return parseSpec(file, text, env)
}

/** `mode` of an explicit link defaults to flat; the schema cannot fill defaults inside `anyOf`. */
function withLinkModes(spec: FederationSpec): FederationSpec {
  const links = spec.spec.links
  if (links === 'full-mesh') return spec
  return {...spec, spec: {...spec.spec, links: links.map((l) => ({...l, mode: l.mode ?? 'flat'}))}}
}
