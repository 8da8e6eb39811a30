// Compiles the federation schema into a validator module at build time (ajv's standalone code), so
// a command validates a spec without loading ajv and compiling the schema on every start.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {Ajv} from 'ajv'
import standaloneCode from 'ajv/dist/standalone/index.js'

import {FEDERATION_SCHEMA_OPTIONS} from '../dist/spec/schema-options.js'

const root = join(fileURLToPath(import.meta.url), '..', '..')
const schema = JSON.parse(readFileSync(join(root, 'schemas', 'federation.schema.json'), 'utf8'))
const ajv = new Ajv({...FEDERATION_SCHEMA_OPTIONS, code: {source: true}})
const code = standaloneCode.default(ajv, ajv.compile(schema))
writeFileSync(join(root, 'dist', 'spec', 'federation-validator.cjs'), code)
