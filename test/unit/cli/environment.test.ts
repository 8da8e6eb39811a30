import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {expect, test} from 'vitest'

import {ENVIRONMENT} from '../../../src/cli/environment.js'

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : []
  })
}

/** Variables read for the process's own bookkeeping, not settings a user gives. */
const NOT_SETTINGS = new Set(['USER'])

test('every environment variable src/ reads is in the registry that help and the README show', () => {
  const read = new Set<string>()
  for (const file of sources('src')) {
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)|process\.env\[['"]([A-Z][A-Z0-9_]*)['"]\]|\benv: '([A-Z][A-Z0-9_]*)'/g)) read.add((m[1] ?? m[2] ?? m[3])!)
  }
  const missing = [...read].filter((v) => !(v in ENVIRONMENT) && !NOT_SETTINGS.has(v))
  expect(missing).toEqual([])
  expect(read.size).toBeGreaterThan(5)
})
