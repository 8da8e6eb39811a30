#!/usr/bin/env node
import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
// A CLI ends when its command does: keep-alive agents or a hung server socket must not keep it running.
process.exit()
