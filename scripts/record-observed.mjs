// Prints what the providers read of the estate a spec names (the sandbox's, with MCFED_SANDBOX=1),
// as the golden cases' observed.json: each resource with the attributes the read mapping gives it.
import {buildProviders} from '../dist/engine/estate.js'
import {readEstate} from '../dist/engine/plan.js'
import {validateFile} from '../dist/engine/validate.js'
import {resolveGcpTarget} from '../dist/cli/target.js'

const file = process.argv[2]
const {spec} = await validateFile(file, {})
const providers = await buildProviders(spec, resolveGcpTarget({sandbox: true}), {specFile: file})
try {
  const estate = await readEstate(providers, spec)
  const problems = estate.diagnostics.filter((d) => d.severity === 'error')
  if (problems.length > 0 || estate.unreachable.length > 0) throw new Error(`the estate could not be read whole: ${JSON.stringify(problems)} ${estate.unreachable}`)
  // Component object digests are what a plan compares object by object; the golden keeps them.
  const observed = estate.observed.map(({objectChanges: _changes, ...r}) => r)
  process.stdout.write(`${JSON.stringify(observed, null, 2)}\n`)
} finally {
  await Promise.all(providers.map((p) => p.close()))
}
