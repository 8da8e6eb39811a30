import {existsSync} from 'node:fs'
import {join} from 'node:path'

/**
 * Linkerd's own renders and controller output, kept in ../shared (never copied into the project).
 * Tests apply them to sandbox API servers as an external installer (Helm, Argo CD) would.
 */
export const LINKERD_FIXTURES = join(process.cwd(), '..', 'shared', 'fixtures', 'linkerd')

export function fixture(version: string, file: string): string {
  const path = join(LINKERD_FIXTURES, version, file)
  if (!existsSync(path)) throw new Error(`no recorded Linkerd fixture ${path}: the tests need ../shared/fixtures beside the checkout`)
  return path
}
