import {existsSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname} from 'node:path'
import {constants, Script} from 'node:vm'

/**
 * A client library as the build bundled it (scripts/bundle-sdks.mjs): one CommonJS file plus V8's
 * code cache of it, stored after a warm-up. Loading the packages as published meant resolving and
 * compiling hundreds of modules on every start (the Google stack ~0.5 s, @kubernetes/client-node
 * ~0.9 s); a bundle with its code cache is one read and almost no compiling.
 */
export interface SdkBundle {
  readonly file: string
  readonly codeCache: string
}

export function sdkBundle(dir: string, name: string): SdkBundle {
  return {file: `${dir}/${name}.bundle.cjs`, codeCache: `${dir}/${name}.bundle.v8cache`}
}

export function bundleBuilt(bundle: SdkBundle): boolean {
  return existsSync(bundle.file)
}

/**
 * Runs the bundle as CommonJS would (same wrapper, its own `require` for Node's built-ins and the
 * few optional lookups bundles leave to run time), with V8's code cache when one was stored. V8
 * checks that the cache matches this source and this V8, and compiles normally when it does not.
 * `script` is returned so that the build can write the cache after a warm-up.
 */
export function runBundle<T>(bundle: SdkBundle, withCache = true): {exports: T; script: Script} {
  // The build writes bundles in ASCII, where latin1 is the same text and skips UTF-8 decoding.
  const source = readFileSync(bundle.file, 'latin1')
  const cachedData = withCache && existsSync(bundle.codeCache) ? readFileSync(bundle.codeCache) : undefined
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle.file,
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  })
  const module = {exports: {} as T}
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void
  wrapper(module.exports, createRequire(bundle.file), module, bundle.file, dirname(bundle.file))
  return {exports: module.exports, script}
}
