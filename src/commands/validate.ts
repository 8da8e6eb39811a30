import {BaseCommand, specFlag} from '../cli/base-command.js'
import type {EnvironmentVariable} from '../cli/environment.js'
import {EXIT} from '../cli/exit-codes.js'
import type {Diagnostic} from '../diagnostics/diagnostic.js'
import {validateFile} from '../engine/validate.js'
import {diagnosticCounts, renderDiagnostics} from '../render/diagnostics.js'
import {style} from '../render/style.js'

export interface ValidateResult {
  readonly file: string
  readonly valid: boolean
  readonly diagnostics: readonly Diagnostic[]
}

export default class Validate extends BaseCommand {
  static override summary = 'Check a federation spec without calling any API'
  static environment: readonly EnvironmentVariable[] = ['MCFED_GCP_PROJECT']
  static override description =
    'Parses federation.yaml, checks it against the JSON Schema and every topology rule (CIDR overlaps, peering limits, link modes, naming), and reports each problem with file:line:col and a hint. Exits 1 when any error is found.'
  static override examples = ['<%= config.bin %> validate -f examples/three-region/federation.yaml', '<%= config.bin %> validate --json']
  static override flags = {file: specFlag}

  async run(): Promise<ValidateResult> {
    const {flags} = await this.parse(Validate)
    const result = await validateFile(flags.file)
    const s = style(this.useColor(flags))
    if (result.diagnostics.length > 0) this.print(renderDiagnostics(result.diagnostics, s, result.sources) + '\n')
    this.print(
      result.valid
        ? `${s.create('✓')} ${flags.file} is valid (${diagnosticCounts(result.diagnostics)})\n`
        : `${s.error('✗')} ${flags.file} is invalid (${diagnosticCounts(result.diagnostics)})\n`,
    )
    this.setExitCode(result.valid ? EXIT.ok : EXIT.error)
    return {file: flags.file, valid: result.valid, diagnostics: result.diagnostics}
  }
}
