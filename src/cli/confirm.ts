import {createInterface} from 'node:readline/promises'

import {UserError} from '../diagnostics/errors.js'

/**
 * Terraform's confirmation: only `yes` proceeds. Without a terminal on stdin there is nobody to
 * ask, so mcfed refuses rather than hang or guess; CI passes --auto-approve or a saved plan.
 */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new UserError('refusing to change anything without confirmation: stdin is not a terminal', 'pass --auto-approve, or apply a saved plan: `mcfed plan -o plan.json` then `mcfed apply plan.json`')
  }
  const rl = createInterface({input: process.stdin, output: process.stdout})
  try {
    const answer = await rl.question(`${question}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `)
    return answer.trim() === 'yes'
  } finally {
    rl.close()
  }
}
