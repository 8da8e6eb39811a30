#!/usr/bin/env node
import {main} from '../dist/cli/main.js'

await main(process.argv.slice(2), import.meta.url)
// A CLI ends when its command does: keep-alive agents or a hung server socket must not keep it running.
process.exit()
