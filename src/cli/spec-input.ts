import {validateFile, type ValidationResult} from '../engine/validate.js'
import {diagnosticCounts, renderDiagnostics} from '../render/diagnostics.js'
import {style} from '../render/style.js'

/**
 * Validates the spec before anything is read or changed. On errors it prints them to stderr and
 * returns undefined: the command then exits 1 having touched nothing.
 */
export async function validSpecOrReport(file: string, color: boolean, what: string): Promise<ValidationResult | undefined> {
  const validation = await validateFile(file)
  if (validation.valid && validation.spec) return validation
  reportInvalidSpec(validation, color, what)
  return undefined
}

export function reportInvalidSpec(validation: ValidationResult, color: boolean, what: string): void {
  const file = validation.file
  process.stderr.write(renderDiagnostics(validation.diagnostics, style(color), validation.sources) + '\n')
  process.stderr.write(`${what} stopped: ${file} is invalid (${diagnosticCounts(validation.diagnostics)}). Nothing was read or changed.\n`)
}
