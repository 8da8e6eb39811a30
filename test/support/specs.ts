import {readFileSync} from 'node:fs'

import {parseSpec} from '../../src/spec/parse.js'
import type {FederationSpec} from '../../src/spec/types.js'
import {validateSpec} from '../../src/validate/index.js'

/** Parses and validates a spec file from the repo; fails the test on any error. */
export function loadValidSpec(file: string): FederationSpec {
  const parsed = parseSpec(file, readFileSync(file, 'utf8'), {})
  if (!parsed.spec) throw new Error(`${file}: ${JSON.stringify(parsed.diagnostics)}`)
  const errors = validateSpec(parsed.spec, parsed.sourceMap).filter((d) => d.severity === 'error')
  if (errors.length > 0) throw new Error(`${file}: ${JSON.stringify(errors)}`)
  return parsed.spec
}

/** Parses spec text and runs every check, returning all diagnostics. */
export function diagnose(text: string, file = 'federation.yaml') {
  const parsed = parseSpec(file, text, {})
  return parsed.spec ? validateSpec(parsed.spec, parsed.sourceMap) : parsed.diagnostics
}

export const THREE_REGION = 'examples/three-region/federation.yaml'
