import {Flags} from '@oclif/core'

import {BaseCommand} from '../cli/base-command.js'
import {PLAN_SCHEMA_PATH} from '../plan/plan-schema.js'
import {federationSchema} from '../spec/schema.js'
import {readFileSync} from 'node:fs'

export default class Schema extends BaseCommand {
  static override summary = 'Print the JSON Schema of federation.yaml (or of saved plans)'
  static override description =
    'Editors use it through a `# yaml-language-server: $schema=` comment; CI can validate plan files against the plan schema.'
  static override examples = ['<%= config.bin %> schema > federation.schema.json', '<%= config.bin %> schema --plan']
  static override flags = {plan: Flags.boolean({description: 'print the schema of saved plans instead'})}

  async run(): Promise<object> {
    const {flags} = await this.parse(Schema)
    const schema = flags.plan ? (JSON.parse(readFileSync(PLAN_SCHEMA_PATH, 'utf8')) as object) : federationSchema()
    this.print(JSON.stringify(schema, null, 2) + '\n')
    return schema
  }
}
