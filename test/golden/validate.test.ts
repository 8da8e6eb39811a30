import {join} from 'node:path'

import {describe, expect, test} from 'vitest'

import {validateFile} from '../../src/engine/validate.js'
import {renderDiagnostics} from '../../src/render/diagnostics.js'
import {style} from '../../src/render/style.js'

/** What `mcfed validate` prints for the specs whose message wording is the product (snapshots beside this file). */
const CASES = ['authorization-gateway-caller', 'authorization-ports-and-clusters']

describe('validation messages', () => {
  test.each(CASES)('%s', async (name) => {
    const validation = await validateFile(join('specs/invalid', `${name}.yaml`), {})
    await expect(renderDiagnostics(validation.diagnostics, style(false), validation.sources)).toMatchFileSnapshot(join('validate', `${name}.txt`))
  })
})
