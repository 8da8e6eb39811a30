import {existsSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'

import gax from 'google-gax/fallback'

const require = createRequire(import.meta.url)
const PRUNED = new URL('./compute-protos.json', import.meta.url)

/**
 * Every compute client builds protobufjs types from the whole Compute Engine descriptor (11.7 MB,
 * 2,000+ messages) when it is constructed: most of a live command's start-up. The build writes the
 * part mcfed's clients reach (scripts/prune-compute-protos.mjs); this hands them that instead, once,
 * through gax's own loading (protobufFromJSON, which the REST transport calls). Running from source,
 * without the pruned file, the clients load the whole descriptor as before.
 */
export function useComputeProtosSubset(): void {
  if (installed || !existsSync(PRUNED)) return
  installed = true
  const full: object = require('@google-cloud/compute/build/protos/protos.json')
  const subset = JSON.parse(readFileSync(PRUNED, 'utf8')) as object
  const GrpcClient = gax.GrpcClient
  const load = GrpcClient.protobufFromJSON.bind(GrpcClient)
  let loaded: ReturnType<typeof load> | undefined
  GrpcClient.protobufFromJSON = (json: object, ignoreCache?: boolean) => {
    if (json !== full) return load(json, ignoreCache)
    loaded ??= load(subset, ignoreCache)
    return loaded
  }
}
let installed = false
