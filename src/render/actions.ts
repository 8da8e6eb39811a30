import type {Action, ResourceChange} from '../plan/types.js'
import type {Style} from './style.js'

/** Terraform's symbols, so plans read the way infrastructure reviewers already read them. */
export function symbol(c: Pick<ResourceChange, 'action' | 'replace_order'>): string {
  switch (c.action) {
    case 'create':
      return '+'
    case 'update':
      return '~'
    case 'delete':
      return '-'
    case 'replace':
      return c.replace_order === 'create-then-delete' ? '+/-' : '-/+'
    case 'no-op':
      return ' '
  }
}

export function colorFor(action: Action, s: Style): (t: string) => string {
  switch (action) {
    case 'create':
      return s.create
    case 'update':
      return s.update
    case 'delete':
    case 'replace':
      return s.destroy
    case 'no-op':
      return (t) => t
  }
}

export function headline(c: ResourceChange): string {
  switch (c.action) {
    case 'create':
      return `${c.address} will be created${c.reason ? ` (${c.reason})` : ''}`
    case 'update':
      return `${c.address} will be updated in place${c.reason ? ` (${c.reason})` : ''}`
    case 'delete':
      return `${c.address} will be destroyed${c.reason ? ` (${c.reason})` : ''}`
    case 'replace':
      return `${c.address} must be replaced${c.reason ? ` (${c.reason})` : ''}`
    case 'no-op':
      return `${c.address} is up to date`
  }
}

export const LEGEND: Readonly<Record<string, string>> = {
  '+': 'create',
  '~': 'update in place',
  '-/+': 'destroy and then create replacement',
  '+/-': 'create replacement and then destroy',
  '-': 'destroy',
}

export function isDestructive(c: ResourceChange): boolean {
  return c.action === 'delete' || c.action === 'replace'
}
