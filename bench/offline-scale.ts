/**
 * The offline plan at fleet size beside the same plan of three clusters: 300 clusters in one VPC,
 * flat links in every direction inside islands of 50 (14,999 Links, 47,702 resources), against 3
 * clusters of the same generator, each written to a file as a user would keep it. The trust anchor
 * exists (`certs init`, as every user who applies has it), so neither plan carries the
 * anchor-unreadable warning, whose source position costs the 300-cluster plan a second, full
 * parse of its 660 KB spec (measured apart with BENCH_NO_ANCHOR=1).
 *
 *   npm run build && npx tsx bench/offline-scale.ts            (BENCH_RUNS=7 by default)
 *   BENCH_FORMAT=json npx tsx bench/offline-scale.ts          (the JSON plan instead of text)
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {generateSpec} from '../test/support/generate.js'
import {paired} from './paired.js'

const runs = Number(process.env.BENCH_RUNS ?? 7)
const format = process.env.BENCH_FORMAT === 'json' ? ['--format', 'json'] : []
const dir = mkdtempSync(join(tmpdir(), 'mcfed-offline-bench-'))
try {
  const small = join(dir, 'three.yaml')
  const large = join(dir, 'islands-300-50.yaml')
  writeFileSync(small, generateSpec({clusters: 3, topology: {linkIslands: 50}}))
  writeFileSync(large, generateSpec({clusters: 300, topology: {linkIslands: 50}}))
  if (!process.env.BENCH_NO_ANCHOR) execFileSync(process.execPath, ['bin/run.js', 'certs', 'init', '-f', small], {stdio: 'ignore'})
  const plan = (spec: string, out: string) => ['sh', '-c', `exec "$0" bin/run.js plan --offline -f "$1" ${format.join(' ')} > "$2"`, process.execPath, spec, join(dir, out)]
  console.log(`offline plan, ${format.length ? 'JSON' : 'text'}, anchor ${process.env.BENCH_NO_ANCHOR ? 'missing (warning with a source position)' : 'present'}, ${runs} runs each`)
  const r = paired({a: 'plan --offline, 300 clusters (islands of 50)', b: 'plan --offline, 3 clusters'}, plan(large, 'large.out'), plan(small, 'small.out'), {runs})
  const failed = [...r.a, ...r.b].filter((s) => s.code !== 0)
  if (failed.length > 0) throw new Error(`${failed.length} plans exited non-zero`)
} finally {
  rmSync(dir, {recursive: true, force: true})
}
