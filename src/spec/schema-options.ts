/** ajv's options for the federation schema: the same at build (standalone code) and in the fallback. */
export const FEDERATION_SCHEMA_OPTIONS = {allErrors: true, verbose: true, useDefaults: true, strict: true, strictTypes: false} as const
