/**
 * Terraform's `-detailed-exitcode` convention, used by `plan --detailed-exitcode` and `drift`:
 * CI branches on these numbers, so they never change meaning.
 */
export const EXIT = {
  /** Succeeded; with --detailed-exitcode: and nothing to change. */
  ok: 0,
  /** Invalid spec, unreadable input, API failure, or any other error. */
  error: 1,
  /** Succeeded and the plan has changes (only with --detailed-exitcode, and from `drift`). */
  changes: 2,
} as const
