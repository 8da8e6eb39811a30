import type {Reporter, TestModule} from 'vitest/node'

/**
 * After the run, one line per reason a test was skipped, with how many: a fresh clone without
 * ../shared or Linkerd's binaries passes, and says plainly what it did not test.
 */
export default class SkipSummary implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const reasons = new Map<string, number>()
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const r = t.result()
        if (r.state === 'skipped' && r.note) reasons.set(r.note, (reasons.get(r.note) ?? 0) + 1)
      }
    }
    if (reasons.size === 0) return
    const total = [...reasons.values()].reduce((a, b) => a + b, 0)
    const lines = [...reasons].map(([note, n]) => `  ${n} ${n === 1 ? 'test' : 'tests'}: ${note}`)
    process.stdout.write(`\n${total} ${total === 1 ? 'test was' : 'tests were'} skipped, each for what it needs:\n${lines.join('\n')}\n\n`)
  }
}
