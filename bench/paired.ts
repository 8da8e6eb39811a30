import {spawnSync} from 'node:child_process'

/** One measured run: wall and CPU seconds and the peak resident set, as GNU time reports them. */
export interface Sample {
  readonly wall: number
  readonly cpu: number
  readonly rssMb: number
  readonly code: number
}

export interface Paired {
  readonly a: readonly Sample[]
  readonly b: readonly Sample[]
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((x, y) => x - y)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

/** Runs a command under /usr/bin/time and reads back what it measured (the command's output is dropped). */
export function measure(command: readonly string[], env: NodeJS.ProcessEnv): Sample {
  const r = spawnSync('/usr/bin/time', ['-f', '@@%e %U %S %M', ...command], {env, encoding: 'utf8', maxBuffer: 1 << 28})
  const line = r.stderr.split('\n').find((l) => l.startsWith('@@'))
  if (!line) throw new Error(`${command.join(' ')}: no timing (${r.stderr.slice(-300)})`)
  const [wall, user, sys, rssKb] = line.slice(2).split(' ').map(Number)
  return {wall: wall!, cpu: user! + sys!, rssMb: rssKb! / 1024, code: r.status ?? -1}
}

interface RunOptions {
  readonly runs?: number
  readonly env?: NodeJS.ProcessEnv
  /** A pause before each run: servers the previous command loaded are not the next run's cost. */
  readonly settleMs?: number
}

function runner(o: RunOptions): (command: readonly string[]) => Sample {
  const env = o.env ?? process.env
  return (command) => {
    if (o.settleMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, o.settleMs)
    return measure(command, env)
  }
}

/** A command alone, `runs` times after one warm-up. Prints its medians (min–max). */
export function series(label: string, command: readonly string[], o: RunOptions = {}): Sample[] {
  const run = runner(o)
  run(command)
  const samples = Array.from({length: o.runs ?? 10}, () => run(command))
  console.log(row(label, samples))
  return samples
}

function row(name: string, s: readonly Sample[]): string {
  const f = (k: keyof Sample, d = 2) => `${median(s.map((x) => x[k])).toFixed(d)} (${Math.min(...s.map((x) => x[k])).toFixed(d)}–${Math.max(...s.map((x) => x[k])).toFixed(d)})`
  return `${name.padEnd(40)} wall ${f('wall')} s  cpu ${f('cpu')} s  peak ${f('rssMb', 0)} MB  exit ${[...new Set(s.map((x) => x.code))].join(',')}`
}

/**
 * A and B in turn, `runs` times each after one warm-up of each, so that a drift of the machine's
 * speed falls on both; ratios are taken pair by pair. Prints medians (min–max) and the A/B ratios.
 */
export function paired(label: {a: string; b: string}, a: readonly string[], b: readonly string[], o: RunOptions = {}): Paired {
  // With `settleMs`, each run starts after a pause: servers the other side just loaded (30 API
  // servers digesting a kubectl diff) are not the next run's cost.
  const run = runner(o)
  run(a)
  run(b)
  const as: Sample[] = []
  const bs: Sample[] = []
  for (let i = 0; i < (o.runs ?? 10); i++) {
    as.push(run(a))
    bs.push(run(b))
  }
  const ratio = (k: 'wall' | 'cpu' | 'rssMb') => median(as.map((x, i) => x[k] / bs[i]![k])).toFixed(2)
  console.log([row(`A: ${label.a}`, as), row(`B: ${label.b}`, bs), `A/B (median of pairs): wall ${ratio('wall')}  cpu ${ratio('cpu')}  peak ${ratio('rssMb')}`].join('\n'))
  return {a: as, b: bs}
}
