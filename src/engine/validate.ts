import {sortDiagnostics, type Diagnostic} from '../diagnostics/diagnostic.js'
import {readSpec, type ParsedSpec, type SpecOverrides} from '../spec/parse.js'
import type {FederationSpec} from '../spec/types.js'
import {validateSpec} from '../validate/index.js'

export interface ValidationResult {
  readonly file: string
  readonly valid: boolean
  readonly spec?: FederationSpec
  readonly parsed: ParsedSpec
  readonly diagnostics: Diagnostic[]
  /** The spec text by file, for diagnostic excerpts. */
  readonly sources: Map<string, string>
}

/** Load, schema-check and semantically validate a spec file. Nothing outside the file is read. */
export async function validateFile(file: string, env: SpecOverrides = process.env): Promise<ValidationResult> {
  const parsed = await readSpec(file, env)
  const sources = new Map([[file, parsed.text]])
  const diagnostics = parsed.spec ? validateSpec(parsed.spec, parsed.sourceMap) : sortDiagnostics(parsed.diagnostics)
  const valid = parsed.spec !== undefined && !diagnostics.some((d) => d.severity === 'error')
  return {file, valid, spec: valid ? parsed.spec : undefined, parsed, diagnostics, sources}
}
