/**
 * Diagnostics are values, never exceptions: every stage returns the problems it found so
 * that one run reports all of them, like a compiler.
 */
export type Severity = 'error' | 'warning'

/** A place in the spec file. `line` and `col` are 1-based; `path` is the spec path (JSON pointer style). */
export interface SourceLocation {
  readonly file: string
  readonly line: number
  readonly col: number
  readonly path: string
}

export interface Diagnostic {
  readonly severity: Severity
  /** Stable rule id such as `cidr/overlap`; safe to grep for and to match in tests. */
  readonly rule: string
  readonly message: string
  /** Every place involved: both ends of an overlap, both duplicates, … First one is primary. */
  readonly locations: readonly SourceLocation[]
  /** What to do about it. */
  readonly hint?: string
  /** Resource addresses involved, when the diagnostic is about the graph rather than the text. */
  readonly addresses?: readonly string[]
  /**
   * The estate differs from the spec in a way no resource change in the plan covers (a Link with
   * no service-mirror controller under an external installer): still drift, so exit code 2.
   */
  readonly drift?: true
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error')
}

/** Orders diagnostics by file position so output reads top to bottom like the spec. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const la = a.locations[0]
    const lb = b.locations[0]
    if (la && lb) {
      if (la.file !== lb.file) return la.file < lb.file ? -1 : 1
      if (la.line !== lb.line) return la.line - lb.line
      if (la.col !== lb.col) return la.col - lb.col
    } else if (la || lb) {
      return la ? -1 : 1
    }
    return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0
  })
}
