/**
 * The few failures that are exceptions rather than diagnostics. Branded with `Symbol.for` so that
 * `isUserError` works across duplicated module copies (as in aws-cdk's toolkit errors).
 */
const USER_ERROR = Symbol.for('mcfed.UserError')
const PROVIDER_ERROR = Symbol.for('mcfed.ProviderError')

/** The user must act: bad flag, missing file, stale plan. Printed without a stack trace. */
export class UserError extends Error {
  readonly [USER_ERROR] = true
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message)
    this.name = 'UserError'
  }
}

/** A cloud or cluster API refused something; keeps the API's own reason and the resource. */
export class ProviderError extends Error {
  readonly [PROVIDER_ERROR] = true
  constructor(
    message: string,
    readonly details: {
      readonly resource?: string
      readonly status?: number
      readonly reason?: string
      readonly hint?: string
      readonly retryable?: boolean
    } = {},
    options?: {cause?: unknown},
  ) {
    super(message, options)
    this.name = 'ProviderError'
  }
}

export function isUserError(e: unknown): e is UserError {
  return typeof e === 'object' && e !== null && USER_ERROR in e
}

export function isProviderError(e: unknown): e is ProviderError {
  return typeof e === 'object' && e !== null && PROVIDER_ERROR in e
}
