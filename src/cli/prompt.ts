import { createInterface } from 'node:readline';
import { StartupError } from '../app/server.ts';

/**
 * Reads one secret line. From a pipe (`--password-stdin`) it takes the first line as is; on a terminal it asks
 * twice without echoing. It never takes a secret from the command line, where it would land in shell history
 * and in the process list.
 */
export async function readSecretLine(
  input: NodeJS.ReadStream,
  prompt: string | undefined,
  repeat?: string,
): Promise<string> {
  if (prompt === undefined) {
    const line = await firstLine(input);
    if (!line) throw new StartupError('no password on standard input');
    return line;
  }
  if (!input.isTTY)
    throw new StartupError('no terminal to ask for a password; pipe it in with --password-stdin');
  const first = await ask(input, prompt);
  const second = await ask(input, repeat ?? prompt);
  if (first !== second) throw new StartupError('the two passwords differ');
  return first;
}

async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  const rl = createInterface({ input, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

function ask(input: NodeJS.ReadStream, prompt: string): Promise<string> {
  return new Promise((resolve) => {
    process.stderr.write(prompt);
    input.setRawMode(true);
    input.resume();
    let value = '';
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          input.setRawMode(false);
          input.pause();
          input.off('data', onData);
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') process.exit(130); // Ctrl-C
        value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
      }
    };
    input.on('data', onData);
  });
}
