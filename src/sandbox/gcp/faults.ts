/**
 * Fault injection for tests: a rule matches requests by method and a path substring or route
 * name, for a number of calls, and either answers with an error, adds latency, or makes the
 * operation the call starts fail or hang.
 */
export interface FaultRule {
  readonly method?: string
  /** Substring of the request path. */
  readonly path?: string
  /** Route name such as `compute.networks.insert`. */
  readonly route?: string
  /** Answer with this HTTP status instead of serving the call. */
  readonly status?: number
  /**
   * With `status`: serve the call first, then answer with the error, as when the connection
   * drops after the server committed (the caller cannot tell whether its write happened).
   */
  readonly afterServing?: boolean
  readonly reason?: string
  readonly message?: string
  /** With `status`: a `Retry-After` header, in seconds. */
  readonly retryAfterSeconds?: number
  /** Serve the call, but end its operation with this error. */
  readonly operationError?: {readonly code: string; readonly message: string; readonly httpStatus?: number}
  /** Serve the call, but its operation never finishes. */
  readonly hang?: boolean
  /** Delay before answering, in milliseconds; clearing the faults ends every delay at once. */
  readonly latencyMs?: number
  /** How many matching calls it affects; -1 for all. Default 1. */
  readonly times?: number
  /**
   * Affect each matching call with this probability (0–1) instead of every one: a fault mix such
   * as "1% of calls answer 503". The draw for the n-th matching call of a route depends only on
   * the seed, the rule, the route and n, so concurrent callers interleaving differently still get
   * the same schedule per route.
   */
  readonly probability?: number
}

interface ActiveRule {
  readonly id: number
  readonly rule: FaultRule
  remaining: number
  /** Calls it affected so far. */
  hits: number
  /** Probability draws made so far, per route. */
  readonly draws: Map<string, number>
}

export class Faults {
  private rules: ActiveRule[] = []
  private nextId = 1
  private readonly delays = new Set<() => void>()
  constructor(private seed = 1) {}

  /** Sets the seed every probability draw is keyed on. */
  reseed(seed: number): void {
    this.seed = seed
  }

  add(rule: FaultRule): number {
    const id = this.nextId++
    this.rules.push({id, rule, remaining: rule.times ?? 1, hits: 0, draws: new Map()})
    return id
  }

  /** Removes every rule and releases requests still held by a latency rule. */
  clear(): void {
    this.rules = []
    for (const release of this.delays) release()
    this.delays.clear()
  }

  /**
   * Waits `ms`, or until `clear()`: a test can hold a call open for as long as it needs (a long
   * latency) and let it go when it is ready, instead of guessing how long the other side takes.
   */
  delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer)
        this.delays.delete(release)
        resolve()
      }
      const timer = setTimeout(release, ms)
      this.delays.add(release)
    })
  }

  /** Takes the first matching rule, counting one use of it. */
  take(method: string, path: string, route: string): FaultRule | undefined {
    const hit = this.rules.find(
      (r) =>
        r.remaining !== 0 &&
        (!r.rule.method || r.rule.method.toUpperCase() === method) &&
        (!r.rule.path || path.includes(r.rule.path)) &&
        (!r.rule.route || r.rule.route === route) &&
        (r.rule.probability === undefined || this.draw(r, route) < r.rule.probability),
    )
    if (!hit) return undefined
    hit.hits += 1
    if (hit.remaining > 0) hit.remaining -= 1
    this.rules = this.rules.filter((r) => r.remaining !== 0)
    return hit.rule
  }

  list(): {id: number; rule: FaultRule; remaining: number; hits: number}[] {
    return this.rules.map(({id, rule, remaining, hits}) => ({id, rule, remaining, hits}))
  }

  /** A number in [0, 1) fixed by the seed, the rule, the route and how many draws it made there. */
  private draw(r: ActiveRule, route: string): number {
    const n = r.draws.get(route) ?? 0
    r.draws.set(route, n + 1)
    return unitHash(`${this.seed}/${r.id}/${route}/${n}`)
  }
}

/** FNV-1a over the key, then one mulberry32 round to spread the bits: a uniform draw in [0, 1). */
function unitHash(key: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  let t = (h + 0x6d2b79f5) >>> 0
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
