import {Flags} from '@oclif/core'

import {UserError} from '../diagnostics/errors.js'
import {parseDuration} from '../util/duration.js'

export const DEFAULT_PARALLELISM = 10

export const applyFlags = {
  'auto-approve': Flags.boolean({description: 'skip the confirmation prompt'}),
  'allow-destroy': Flags.boolean({description: 'allow deleting or replacing networks, subnets and clusters'}),
  parallelism: Flags.integer({
    description: `how many operations run at once (default ${DEFAULT_PARALLELISM}); Linkerd upgrades go one cluster at a time unless this is given, then this many clusters at once`,
    min: 1,
    max: 100,
  }),
  'lock-timeout': Flags.string({description: 'how long to wait for another apply holding the federation lock', default: '0s'}),
  'operation-timeout': Flags.string({description: 'longest wait for one cloud operation', default: '45m'}),
  'json-events': Flags.boolean({
    description: 'stream progress on stdout as NDJSON, one event per line (step_start, step_done, step_failed, …, apply_summary), for CI logs; --json prints only the result',
    exclusive: ['json'],
  }),
}

export function durationFlag(name: string, value: string): number {
  const ms = parseDuration(value)
  if (ms === undefined) throw new UserError(`--${name} ${JSON.stringify(value)} is not a duration`, 'write it like 30s, 10m or 1h')
  return ms
}
