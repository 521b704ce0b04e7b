import { insertUser } from '../../identity/index.ts';
import { withCliContext } from '../context.ts';
import { configFrom, type GlobalOptions } from '../load.ts';
import { readSecretLine } from '../prompt.ts';

export interface AdminCreateOptions extends GlobalOptions {
  email: string;
  name: string;
  timeZone?: string;
  passwordStdin?: boolean;
}

/**
 * Creates an administrator from the shell: the first one on a new installation (instead of the setup link), or
 * another one to get back in when nobody who can administer is left.
 */
export async function adminCreateCommand(
  opts: AdminCreateOptions,
  out: (line: string) => void,
): Promise<void> {
  const config = configFrom(opts);
  const password = opts.passwordStdin
    ? await readSecretLine(process.stdin, undefined)
    : await readSecretLine(
        process.stdin,
        'Password (at least 12 characters; a passphrase works well): ',
        'Repeat it: ',
      );
  const user = await withCliContext(config, 'admin-create', (ctx) =>
    insertUser(ctx, {
      email: opts.email,
      name: opts.name,
      role: 'admin',
      password,
      ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
    }),
  );
  out(`created administrator ${user.email} (${user.id}); sign in at ${config.server.publicUrl}/login`);
}
