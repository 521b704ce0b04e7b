import { DAY, type EpochMs } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import { inTx, type Ctx } from '../storage/index.ts';
import { appendAudit } from './audit.ts';
import { createSession, type NewSession } from './sessions.ts';
import { hashToken, newToken } from './tokens.ts';
import { countUsers, type UserRow } from './users.repo.ts';
import { insertUser } from './users.ts';

/** There is no built-in account: the first administrator is created through a one-time link valid for 24 hours. */
export const SETUP_TOKEN_TTL_MS = DAY;

export async function setupNeeded(ctx: Ctx): Promise<boolean> {
  return (await countUsers(ctx.db)) === 0;
}

/** Issues a fresh setup token when nobody has an account yet (older unused ones stop working). */
export async function issueSetupToken(ctx: Ctx): Promise<string | undefined> {
  return inTx(ctx, async (tx) => {
    if ((await countUsers(tx.db)) > 0) return undefined;
    const now = tx.clock.now();
    await tx.db.updateTable('setup_tokens').set({ used_at: now }).where('used_at', 'is', null).execute();
    const token = newToken('setup');
    await tx.db
      .insertInto('setup_tokens')
      .values({
        id: tx.ids.next('stp'),
        token_hash: hashToken(token),
        created_at: now,
        expires_at: (now + SETUP_TOKEN_TTL_MS) as EpochMs,
        used_at: null,
      })
      .execute();
    return token;
  });
}

export function setupLink(ctx: Ctx, token: string): string {
  // In the fragment, so the token never reaches a server log or a Referer header.
  return `${ctx.settings.publicUrl}/setup#token=${token}`;
}

/** Consumes the setup token and creates the first administrator, signed in. */
export async function completeSetup(
  ctx: Ctx,
  input: { token: string; email: string; name: string; password: string; timeZone?: string },
): Promise<NewSession> {
  const invalid = new AppError(
    'forbidden',
    'this setup link is not valid (it may have expired or been used); restart the server or run `siaga admin create`',
  );
  const user: UserRow = await inTx(ctx, async (tx) => {
    const now = tx.clock.now();
    const consumed = await tx.db
      .updateTable('setup_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', hashToken(input.token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (consumed.numUpdatedRows !== 1n || (await countUsers(tx.db)) > 0) throw invalid;
    const admin = await insertUser(
      { ...tx, actor: { kind: 'system', name: 'first-run setup' } },
      {
        email: input.email,
        name: input.name,
        password: input.password,
        role: 'admin',
        ...(input.timeZone ? { timeZone: input.timeZone } : {}),
      },
    );
    await appendAudit(
      { ...tx, actor: { kind: 'system', name: 'first-run setup' } },
      { action: 'setup.completed', object: { type: 'user', id: admin.id } },
    );
    return admin;
  });
  return createSession(ctx, user, 'setup');
}
