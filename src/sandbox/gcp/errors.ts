/** HTTP status → the canonical gRPC status name Google APIs put in `error.status`. */
const GRPC_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
}

/** An API error as Google sends it: HTTP status plus `{error: {code, message, status, errors[]}}`. */
export class GoogleApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly grpcStatus: string = GRPC_STATUS[status] ?? 'UNKNOWN',
  ) {
    super(message)
  }

  body(): object {
    return {
      error: {
        code: this.status,
        message: this.message,
        status: this.grpcStatus,
        errors: [{domain: 'global', reason: this.reason, message: this.message}],
      },
    }
  }
}

export const notFound = (resource: string) => new GoogleApiError(404, 'notFound', `The resource '${resource}' was not found`)
export const alreadyExists = (resource: string) => new GoogleApiError(409, 'alreadyExists', `The resource '${resource}' already exists`)
export const invalid = (message: string) => new GoogleApiError(400, 'invalid', message)
export const badRequest = (message: string) => new GoogleApiError(400, 'badRequest', message)
export const failedPrecondition = (message: string) => new GoogleApiError(400, 'failedPrecondition', message, 'FAILED_PRECONDITION')
export const conditionNotMet = (message: string) => new GoogleApiError(412, 'conditionNotMet', message)
export const inUse = (message: string) => new GoogleApiError(400, 'resourceInUseByAnotherResource', message)
