import { afterEach, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/platform/crypto/webhook-signature.ts';
import { channelDestination } from '../../src/response/channels/channels.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { setupResponse, type ResponseSetup } from '../harness/response.ts';

type Problem = { status: number; detail: string; errors?: { pointer: string; detail: string }[] };
type ChannelJson = { id: string; secretKeys: string[]; hasSecrets: boolean };

const OLD = 'whsec-old-Hk2Lp9Qm4Rn7St1Uv8Wx3';
const NEW = 'whsec-new-Yz6Ab5Cd0EfGh1Ij2Kl3';
const AUTH = 'Bearer keep-me-Mn4Op5Qr6St7';
const SIG = 'sig-Zq8vX2kLw0pR7nT4yU1iO9aS3dF6gH5j';
const TEAMS_URL = `https://prod-42.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=${SIG}`;

/**
 * `PATCH /api/v1/channels/:id` merges secrets: a string sets one, null removes it, the others are kept. An admin
 * rotates one secret without typing the others again, which they could not: secrets are never shown.
 */
describe(`channel secrets, merged on change (${TEST_DIALECT})`, () => {
  let s: ResponseSetup | undefined;
  afterEach(async () => {
    await s?.t.close();
    s = undefined;
  });

  async function channel(x: ResponseSetup, body: Record<string, unknown>): Promise<ChannelJson> {
    const res = await x.admin('POST', '/api/v1/channels', { teamId: x.teamId, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ChannelJson>();
  }

  const patch = (x: ResponseSetup, id: string, secrets: unknown) =>
    x.admin('PATCH', `/api/v1/channels/${id}`, { secrets });

  /** The sealed column as stored: unchanged bytes prove that nothing was resealed. */
  const sealed = async (x: ResponseSetup, id: string) =>
    (
      await x.t.tdb.storage.db
        .selectFrom('channels')
        .select('secrets')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).secrets;

  const secretsOf = async (x: ResponseSetup, id: string) =>
    (await channelDestination(x.t.app.ctx({ kind: 'system', name: 'test' }), id))?.secrets;

  async function auditDetails(x: ResponseSetup, id: string) {
    const rows = await x.t.tdb.storage.db
      .selectFrom('audit_log')
      .selectAll()
      .where('object_id', '=', id)
      .orderBy('id')
      .execute();
    return { rows, details: rows.map((r) => r.detail) };
  }

  /** The last message the webhook channel delivered, with what its signature verifies against. */
  function lastDelivery(x: ResponseSetup) {
    const req = x.receiver.requests.filter((r) => r.path === '/channel').at(-1)!;
    const verifies = (secret: string) =>
      verifyWebhookSignature({
        rawBody: req.rawBody,
        header: req.headers['x-siaga-signature'],
        secrets: [secret],
        now: x.t.clock.now(),
      }).ok;
    return { req, verifies };
  }

  it('rotates one secret of a webhook channel while the others keep working, then removes the old one with null', async () => {
    s = await setupResponse();
    const x = s;
    const hook = await channel(x, {
      name: 'deploys',
      kind: 'webhook',
      config: { address: `${x.receiver.origin}/channel` },
      secrets: { signingSecret: OLD, authorization: AUTH },
    });
    await x.usePolicy([{ escalateAfterMinutes: 30, targets: [{ type: 'channel', id: hook.id }] }]);

    // Rotation step 1: the new secret signs, the current one keeps signing; the authorization is not retyped.
    const rotating = await patch(x, hook.id, { signingSecret: NEW, previousSigningSecret: OLD });
    expect(rotating.statusCode, rotating.body).toBe(200);
    expect(rotating.json<ChannelJson>().secretKeys).toEqual([
      'authorization',
      'previousSigningSecret',
      'signingSecret',
    ]);
    expect(await secretsOf(x, hook.id)).toEqual({
      signingSecret: NEW,
      previousSigningSecret: OLD,
      authorization: AUTH,
    });
    await x.fire('during-rotation');
    const during = lastDelivery(x);
    // A shared channel hears of the incident as a status message.
    expect(during.req.json).toMatchObject({ kind: 'status', event: 'triggered' });
    expect(during.req.headers.authorization).toBe(AUTH);
    expect([during.verifies(NEW), during.verifies(OLD)]).toEqual([true, true]);

    // Step 2: the receiver knows the new secret; the old one goes, nothing else changes.
    const done = await patch(x, hook.id, { previousSigningSecret: null });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json<ChannelJson>().secretKeys).toEqual(['authorization', 'signingSecret']);
    await x.fire('after-rotation');
    const after = lastDelivery(x);
    expect(after.req).not.toBe(during.req);
    expect(after.req.headers.authorization).toBe(AUTH);
    expect([after.verifies(NEW), after.verifies(OLD)]).toEqual([true, false]);

    // The audit log names the secrets that changed, and never a value.
    const { rows, details } = await auditDetails(x, hook.id);
    expect(details).toEqual([
      'secrets set: authorization, signingSecret',
      'secrets added: previousSigningSecret; secrets replaced: signingSecret',
      'secrets removed: previousSigningSecret',
    ]);
    const audit = JSON.stringify(rows) + (await x.admin('GET', '/api/v1/audit')).body;
    for (const secret of [OLD, NEW, AUTH]) expect(audit).not.toContain(secret);
  });

  it('changes no secret for {} or a value it already has, and refuses to remove one the kind needs', async () => {
    s = await setupResponse();
    const x = s;
    const teams = await channel(x, { name: 'ops-teams', kind: 'teams', secrets: { webhookUrl: TEAMS_URL } });
    const before = await sealed(x, teams.id);
    for (const secrets of [{}, { webhookUrl: TEAMS_URL }, { notThere: null }]) {
      const res = await patch(x, teams.id, secrets);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<ChannelJson>().secretKeys).toEqual(['webhookUrl']);
    }
    expect(await sealed(x, teams.id)).toBe(before);
    expect((await auditDetails(x, teams.id)).details).toEqual(['secrets set: webhookUrl', null, null, null]);

    // A Teams channel without its workflow URL cannot deliver: 400, naming the secret, and nothing changes.
    const removed = await patch(x, teams.id, { webhookUrl: null });
    expect(removed.statusCode, removed.body).toBe(400);
    expect(removed.headers['content-type']).toContain('application/problem+json');
    expect(removed.json<Problem>().errors?.map((e) => e.pointer)).toEqual(['/secrets/webhookUrl']);
    expect(removed.body).not.toContain(SIG);
    expect(await secretsOf(x, teams.id)).toEqual({ webhookUrl: TEAMS_URL });

    // The merged result is what is checked: the current signing secret cannot go while the previous one stays.
    const hook = await channel(x, {
      name: 'hook',
      kind: 'webhook',
      config: { address: `${x.receiver.origin}/channel` },
      secrets: { signingSecret: NEW, previousSigningSecret: OLD },
    });
    const orphaned = await patch(x, hook.id, { signingSecret: null });
    expect(orphaned.statusCode, orphaned.body).toBe(400);
    expect(orphaned.json<Problem>().errors?.map((e) => e.pointer)).toEqual([
      '/secrets/previousSigningSecret',
    ]);
    const both = await patch(x, hook.id, { signingSecret: null, previousSigningSecret: null });
    expect(both.statusCode, both.body).toBe(200);
    expect(both.json<ChannelJson>()).toMatchObject({ secretKeys: [], hasSecrets: false });
  });

  it('still refuses invalid secrets, and a merge that would hold more than 20', async () => {
    s = await setupResponse();
    const x = s;
    const hook = await channel(x, {
      name: 'hook',
      kind: 'webhook',
      config: { address: `${x.receiver.origin}/channel` },
      secrets: { signingSecret: OLD, authorization: AUTH },
    });
    const before = await sealed(x, hook.id);
    const pointers = async (secrets: unknown) => {
      const res = await patch(x, hook.id, secrets);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      for (const secret of [OLD, AUTH]) expect(res.body).not.toContain(secret);
      return res.json<Problem>().errors?.map((e) => e.pointer);
    };
    expect(await pointers({ 'bad-name': 'x' })).toEqual(['/body/secrets/bad-name']);
    expect(await pointers({ signingSecret: '' })).toContain('/body/secrets/signingSecret');
    expect(await pointers({ signingSecret: 42 })).toContain('/body/secrets/signingSecret');
    expect(await pointers([NEW])).toContain('/body/secrets');
    expect(await pointers({ signingSecret: 'too-short' })).toEqual(['/secrets/signingSecret']);
    expect(await pointers({ authorization: 'Bearer x\r\nX-Evil: 1' })).toEqual(['/secrets/authorization']);
    // 19 new ones next to the 2 kept make 21: too many, although the patch itself is within bounds.
    const many = Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`extra${i}`, `value-${i}`]));
    expect(await pointers(many)).toEqual(['/secrets']);
    expect(await sealed(x, hook.id)).toBe(before);
    // Removing as many as are added keeps it at 20.
    const swapped = await patch(x, hook.id, {
      ...Object.fromEntries(Array.from({ length: 18 }, (_, i) => [`extra${i}`, `value-${i}`])),
      authorization: null,
      extra18: 'value-18',
    });
    expect(swapped.statusCode, swapped.body).toBe(200);
    expect(swapped.json<ChannelJson>().secretKeys).toHaveLength(20);
  });
});
