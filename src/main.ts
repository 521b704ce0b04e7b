#!/usr/bin/env node
/** Entry point: `node src/main.ts <command>` (Node 24 runs the TypeScript directly; no build step). */
import { buildProgram } from './cli/program.ts';
import { reportCliError } from './cli/errors.ts';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportCliError(err);
}
