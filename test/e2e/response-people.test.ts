import { createECDH, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { contactDestination, notificationPlan, verificationCodeOf } from '../../src/response/people/index.ts';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { as, login, person } from '../harness/identity.ts';

type Problem = {
  status: number;
  code: string;
  detail: string;
  errors?: { pointer: string; detail: string }[];
  attemptsLeft?: number;
  locked?: boolean;
  expired?: boolean;
};
type Method = {
  id: string;
  userId: string;
  kind: string;
  name: string;
  address: string;
  verified: boolean;
  verifiedAt: string | null;
  disabled: boolean;
  verification: { codeSent: boolean; expiresAt: string | null; attemptsLeft: number } | null;
  signingSecret?: string;
};
type Rule = {
  id: string;
  contactMethodId: string;
  contactMethodKind: string;
  delayMinutes: number;
  active: boolean;
};
type Rules = { high: Rule[]; low: Rule[] };
type Setup = { contactMethods: Method[]; rules: Rules; warnings: { code: string; message: string }[] };
type Caller = ReturnType<typeof as>;

const MINUTE = 60_000;

/** A real web push subscription's keys: an uncompressed P-256 public key and a 16-byte auth secret. */
function pushKeys(): { p256dh: string; auth: string } {
  const ecdh = createECDH('prime256v1');
  return { p256dh: ecdh.generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

/** A code that is certainly wrong: the right one with its first digit changed. */
const wrong = (code: string): string => `${(Number(code[0]) + 1) % 10}${code.slice(1)}`;

/** People and their rules: contact methods verified by a code, and notification rules per urgency. */
describe(`people: contact methods and notification rules (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function setup() {
    t = await createTestApp();
    const alice = await person(t, 'responder', {}, 'alice');
    const bob = await person(t, 'responder', {}, 'bob');
    const root = await person(t, 'admin');
    return {
      t,
      alice,
      bob,
      root,
      asAlice: as(t, await login(t, alice)),
      asBob: as(t, await login(t, bob)),
      asRoot: as(t, await login(t, root)),
    };
  }

  /** The verification deliveries of a method, oldest first. */
  async function codeDeliveries(t: TestApp, methodId: string) {
    return t.tdb.storage.db
      .selectFrom('deliveries')
      .selectAll()
      .where('contact_method_id', '=', methodId)
      .where('kind', '=', 'verification')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** The code the dispatcher would send: from the newest verification delivery, unsealed. */
  async function latestCode(t: TestApp, methodId: string): Promise<string> {
    const rows = await codeDeliveries(t, methodId);
    return verificationCodeOf(t.app.ctx(), rows.at(-1)!.payload);
  }

  async function addVerified(t: TestApp, caller: Caller, body: object, base = '/api/v1/me'): Promise<Method> {
    const created = await caller('POST', `${base}/contact-methods`, body);
    expect(created.statusCode, created.body).toBe(201);
    const m = created.json<Method>();
    const verified = await caller('POST', `${base}/contact-methods/${m.id}/verify`, {
      code: await latestCode(t, m.id),
    });
    expect(verified.statusCode, verified.body).toBe(200);
    return verified.json<Method>();
  }

  async function auditActions(t: TestApp, objectId: string): Promise<string[]> {
    const rows = await t.tdb.storage.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', objectId)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map((r) => r.action);
  }

  it('adds a method unverified, sends a sealed code through the outbox, verifies it after a wrong try and adds default rules', async () => {
    const { t, alice, asAlice } = await setup();
    const created = await asAlice('POST', '/api/v1/me/contact-methods', {
      kind: 'sms',
      name: 'Phone',
      address: '+49 170 123-4567',
    });
    expect(created.statusCode, created.body).toBe(201);
    const m = created.json<Method>();
    const now = t.clock.now();
    expect(m).toEqual({
      id: expect.stringMatching(/^cm_/),
      userId: alice.id,
      kind: 'sms',
      name: 'Phone',
      address: '+491701234567',
      verified: false,
      verifiedAt: null,
      disabled: false,
      disabledAt: null,
      expired: false,
      expiredAt: null,
      expiredReason: null,
      verification: { codeSent: true, expiresAt: new Date(now + 10 * MINUTE).toISOString(), attemptsLeft: 5 },
      createdAt: new Date(now).toISOString(),
      updatedAt: new Date(now).toISOString(),
    });

    // The code goes out as a delivery written with the method, for the dispatcher to send.
    const [delivery, ...more] = await codeDeliveries(t, m.id);
    expect(more).toEqual([]);
    expect(delivery).toMatchObject({
      kind: 'verification',
      event: 'notice',
      incident_id: null,
      user_id: alice.id,
      contact_method_id: m.id,
      channel_kind: 'sms',
      destination: `cm:${m.id}`,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      dedup_key: `verify:${m.id}:1`,
    });
    const code = verificationCodeOf(t.app.ctx(), delivery!.payload);
    expect(code).toMatch(/^\d{6}$/);
    // Sealed in the outbox, hashed on the method, absent from the audit log.
    const methodRow = await t.tdb.storage.db
      .selectFrom('contact_methods')
      .selectAll()
      .where('id', '=', m.id)
      .executeTakeFirstOrThrow();
    const audit = await t.tdb.storage.db
      .selectFrom('audit_log')
      .selectAll()
      .where('object_id', '=', m.id)
      .execute();
    for (const text of [JSON.stringify(methodRow), delivery!.payload, JSON.stringify(audit)])
      expect(text).not.toContain(code);

    const miss = await asAlice('POST', `/api/v1/me/contact-methods/${m.id}/verify`, { code: wrong(code) });
    expect(miss.statusCode).toBe(400);
    expect(miss.headers['content-type']).toContain('application/problem+json');
    expect(miss.json<Problem>()).toMatchObject({
      detail: 'the code is not right; 4 tries left',
      attemptsLeft: 4,
      errors: [{ pointer: '/code' }],
    });
    expect(
      (await asAlice('GET', `/api/v1/me/contact-methods/${m.id}`)).json<Method>().verification,
    ).toMatchObject({
      attemptsLeft: 4,
    });
    // Nothing pages an unverified method.
    expect(await notificationPlan(t.app.ctx(), alice.id, 'high')).toEqual([]);

    t.clock.advance(MINUTE);
    const ok = await asAlice('POST', `/api/v1/me/contact-methods/${m.id}/verify`, {
      code: `${code.slice(0, 3)} ${code.slice(3)}`,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<Method>()).toMatchObject({
      verified: true,
      verifiedAt: new Date(t.clock.now()).toISOString(),
      verification: null,
    });
    // Verifying again changes nothing.
    expect(
      (await asAlice('POST', `/api/v1/me/contact-methods/${m.id}/verify`, { code: '000000' })).statusCode,
    ).toBe(200);

    // The first verified method, with no rules yet: paged at once for both urgencies.
    const rules = (await asAlice('GET', '/api/v1/me/notification-rules')).json<Rules>();
    expect(rules).toEqual({
      high: [
        expect.objectContaining({
          contactMethodId: m.id,
          contactMethodKind: 'sms',
          delayMinutes: 0,
          active: true,
        }),
      ],
      low: [expect.objectContaining({ contactMethodId: m.id, delayMinutes: 0, active: true })],
    });
    expect(await notificationPlan(t.app.ctx(), alice.id, 'high')).toEqual([
      { contactMethodId: m.id, kind: 'sms', channelKind: 'sms', delayMinutes: 0 },
    ]);
    expect(await auditActions(t, m.id)).toEqual([
      'contact_method.created',
      'contact_method.verification_failed',
      'contact_method.verified',
    ]);
    const allAudit = await t.tdb.storage.db.selectFrom('audit_log').selectAll().execute();
    expect(JSON.stringify(allAudit)).not.toContain(code);
    // A second verified method does not add more defaults.
    await addVerified(t, asAlice, { kind: 'email', address: 'Alice@Example.com' });
    const after = (await asAlice('GET', '/api/v1/me/notification-rules')).json<Rules>();
    expect([...after.high, ...after.low].map((r) => r.contactMethodId)).toEqual([m.id, m.id]);
  });

  it('lets a code expire after ten minutes; a new one can be asked for once a minute and five times an hour', async () => {
    const { t, asAlice } = await setup();
    const m = (
      await asAlice('POST', '/api/v1/me/contact-methods', { kind: 'email', address: 'alice@example.com' })
    ).json<Method>();
    const first = await latestCode(t, m.id);
    // Right after creation a new code is refused: one just went out.
    const early = await asAlice('POST', `/api/v1/me/contact-methods/${m.id}/resend-code`);
    expect(early.statusCode).toBe(429);
    expect(early.headers['retry-after']).toBe('60');

    t.clock.advance(10 * MINUTE);
    const late = await asAlice('POST', `/api/v1/me/contact-methods/${m.id}/verify`, { code: first });
    expect(late.statusCode).toBe(400);
    expect(late.json<Problem>()).toMatchObject({
      detail: 'the code has expired; request a new one',
      expired: true,
    });

    const resent = await asAlice('POST', `/api/v1/me/contact-methods/${m.id}/resend-code`);
    expect(resent.statusCode, resent.body).toBe(200);
    expect(resent.json<Method>().verification).toEqual({
      codeSent: true,
      expiresAt: new Date(t.clock.now() + 10 * MINUTE).toISOString(),
      attemptsLeft: 5,
    });
    const again = await asAlice('POST', `/api/v1/me/contact-methods/${m.id}/resend-code`);
    expect(again.statusCode).toBe(429);
    expect(again.json<Problem>().detail).toBe('a code was sent less than a minute ago; try again in 60 s');
    for (let i = 0; i < 3; i++) {
      t.clock.advance(MINUTE);
      expect((await asAlice('POST', `/api/v1/me/contact-methods/${m.id}/resend-code`)).statusCode).toBe(200);
    }
    // Five codes within the hour (the first included): the sixth waits for the hour to end.
    t.clock.advance(MINUTE);
    const sixth = await asAlice('POST', `/api/v1/me/contact-methods/${m.id}/resend-code`);
    expect(sixth.statusCode).toBe(429);
    expect(sixth.headers['retry-after']).toBe(String(46 * 60));

    const deliveries = await codeDeliveries(t, m.id);
    expect(deliveries.map((d) => d.dedup_key)).toEqual([1, 2, 3, 4, 5].map((n) => `verify:${m.id}:${n}`));
    // Only the newest code works.
    const older = verificationCodeOf(t.app.ctx(), deliveries[3]!.payload);
    const newest = await latestCode(t, m.id);
    if (older !== newest)
      expect(
        (await asAlice('POST', `/api/v1/me/contact-methods/${m.id}/verify`, { code: older })).statusCode,
      ).toBe(400);
    expect(
      (await asAlice('POST', `/api/v1/me/contact-methods/${m.id}/verify`, { code: newest })).statusCode,
    ).toBe(200);
    // A verified method needs no code.
    t.clock.advance(60 * MINUTE);
    expect((await asAlice('POST', `/api/v1/me/contact-methods/${m.id}/resend-code`)).statusCode).toBe(409);
  });

  it('locks a code after five wrong tries until a new one is sent', async () => {
    const { t, asAlice } = await setup();
    const m = (
      await asAlice('POST', '/api/v1/me/contact-methods', { kind: 'voice', address: '+14155550123' })
    ).json<Method>();
    const code = await latestCode(t, m.id);
    const left: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await asAlice('POST', `/api/v1/me/contact-methods/${m.id}/verify`, { code: wrong(code) });
      expect(res.statusCode).toBe(400);
      left.push(res.json<Problem>().attemptsLeft!);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    // Even the right code no longer helps.
    const locked = await asAlice('POST', `/api/v1/me/contact-methods/${m.id}/verify`, { code });
    expect(locked.statusCode).toBe(400);
    expect(locked.json<Problem>()).toMatchObject({ locked: true, attemptsLeft: 0 });
    expect(locked.json<Problem>().detail).toContain('request a new one');

    t.clock.advance(MINUTE);
    expect((await asAlice('POST', `/api/v1/me/contact-methods/${m.id}/resend-code`)).statusCode).toBe(200);
    const fresh = await latestCode(t, m.id);
    const ok = await asAlice('POST', `/api/v1/me/contact-methods/${m.id}/verify`, { code: fresh });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<Method>().verified).toBe(true);
    expect(
      (await auditActions(t, m.id)).filter((a) => a === 'contact_method.verification_failed'),
    ).toHaveLength(5);
  });

  it('checks each kind’s address: 400 problem+json pointing at the field; duplicates are 409', async () => {
    const { asAlice } = await setup();
    const bad: [object, string][] = [
      [{ kind: 'email', address: 'not an address' }, '/address'],
      [{ kind: 'email', address: 'alice@example.com\r\nBcc: x@example.com' }, '/address'],
      [{ kind: 'sms', address: '0170 1234567' }, '/address'],
      [{ kind: 'voice', address: '+0123456789' }, '/address'],
      [{ kind: 'sms', address: '+12' }, '/address'],
      [{ kind: 'slack_dm', address: 'alice' }, '/address'],
      [{ kind: 'telegram', address: 'alice' }, '/address'],
      [{ kind: 'telegram', address: '@ab' }, '/address'],
      [{ kind: 'ntfy', address: 'my topic' }, '/address'],
      [{ kind: 'webhook', address: 'ftp://example.com/hook' }, '/address'],
      [{ kind: 'webhook', address: 'example.com/hook' }, '/address'],
      [{ kind: 'push', address: 'https://push.example.com/abc' }, '/keys'],
      [{ kind: 'push', address: 'http://push.example.com/abc', keys: pushKeys() }, '/address'],
      [
        { kind: 'push', address: 'https://push.example.com/abc', keys: { ...pushKeys(), auth: 'c2hvcnQ' } },
        '/keys/auth',
      ],
      [
        { kind: 'push', address: 'https://push.example.com/abc', keys: { ...pushKeys(), p256dh: 'AAAA' } },
        '/keys/p256dh',
      ],
      [{ kind: 'sms', address: '+14155550123', keys: pushKeys() }, '/keys'],
      [{ kind: 'email', address: 'alice@example.com', name: '   ' }, '/name'],
      [{ kind: 'pager', address: '123' }, '/body/kind'],
      [{ kind: 'email', address: 'alice@example.com', extra: 1 }, '/body/extra'],
    ];
    for (const [body, pointer] of bad) {
      const res = await asAlice('POST', '/api/v1/me/contact-methods', body);
      expect(`${JSON.stringify(body)} → ${res.statusCode}`).toBe(`${JSON.stringify(body)} → 400`);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<Problem>().errors?.map((e) => e.pointer)).toContain(pointer);
    }
    expect((await asAlice('GET', '/api/v1/me/contact-methods')).json()).toEqual([]);

    const good: [object, string][] = [
      [{ kind: 'email', address: ' Alice@Example.COM ' }, 'alice@example.com'],
      [{ kind: 'sms', address: '+1 (415) 555-0123' }, '+14155550123'],
      [{ kind: 'voice', address: '+14155550123' }, '+14155550123'],
      [{ kind: 'slack_dm', address: 'U024BE7LH' }, 'U024BE7LH'],
      [{ kind: 'telegram', address: '-1001234567890' }, '-1001234567890'],
      [{ kind: 'telegram', address: '@alice_pages' }, '@alice_pages'],
      [{ kind: 'ntfy', address: 'alice-pages_01' }, 'alice-pages_01'],
      [
        { kind: 'ntfy', address: 'https://ntfy.example.com/alice-pages' },
        'https://ntfy.example.com/alice-pages',
      ],
      [
        { kind: 'webhook', address: 'http://hooks.example.com/alice?x=1' },
        'http://hooks.example.com/alice?x=1',
      ],
      [
        { kind: 'push', address: 'https://push.example.com/send/abc', keys: pushKeys() },
        'https://push.example.com/send/abc',
      ],
    ];
    for (const [body, address] of good) {
      const res = await asAlice('POST', '/api/v1/me/contact-methods', body);
      expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(201);
      expect(res.json<Method>().address).toBe(address);
    }
    expect(
      (await asAlice('GET', '/api/v1/me/contact-methods')).json<Method[]>().map((m) => [m.kind, m.name]),
    ).toEqual([
      ['email', 'E-mail'],
      ['sms', 'SMS'],
      ['voice', 'Voice call'],
      ['slack_dm', 'Slack'],
      ['telegram', 'Telegram'],
      ['telegram', 'Telegram'],
      ['ntfy', 'ntfy'],
      ['ntfy', 'ntfy'],
      ['webhook', 'Webhook'],
      ['push', 'Browser push'],
    ]);

    // The same address of the same kind twice is a conflict (after normalising); another kind is not.
    const dup = await asAlice('POST', '/api/v1/me/contact-methods', {
      kind: 'email',
      address: 'ALICE@example.com',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json<Problem>().detail).toBe(
      'this person already has a E-mail contact method for that address',
    );
    const sms = (await asAlice('GET', '/api/v1/me/contact-methods'))
      .json<Method[]>()
      .find((m) => m.kind === 'sms')!;
    const voice = (await asAlice('GET', '/api/v1/me/contact-methods'))
      .json<Method[]>()
      .find((m) => m.kind === 'voice')!;
    expect(sms.address).toBe(voice.address);
    // Changing an address to one already taken is a conflict too.
    const email2 = (
      await asAlice('POST', '/api/v1/me/contact-methods', { kind: 'email', address: 'alice2@example.com' })
    ).json<Method>();
    expect(
      (await asAlice('PATCH', `/api/v1/me/contact-methods/${email2.id}`, { address: 'alice@example.com' }))
        .statusCode,
    ).toBe(409);
    expect(
      (await asAlice('PATCH', `/api/v1/me/contact-methods/${email2.id}`, { address: 'nope' })).json<Problem>()
        .errors,
    ).toEqual([{ pointer: '/address', detail: expect.stringContaining('e-mail address') }]);
  });

  it('keeps push keys and webhook signing secrets sealed and never shows them again; the dispatcher gets them opened', async () => {
    const { t, asAlice } = await setup();
    const keys = pushKeys();
    const push = await asAlice('POST', '/api/v1/me/contact-methods', {
      kind: 'push',
      name: 'Laptop',
      address: 'https://push.example.com/send/abc',
      keys,
    });
    expect(push.statusCode, push.body).toBe(201);
    expect(push.body).not.toContain(keys.p256dh);
    expect(push.body).not.toContain(keys.auth);
    const pushId = push.json<Method>().id;

    const hook = await asAlice('POST', '/api/v1/me/contact-methods', {
      kind: 'webhook',
      address: 'https://hooks.example.com/alice/t0ps3cr3t',
    });
    expect(hook.statusCode).toBe(201);
    expect(hook.headers['cache-control']).toBe('no-store');
    const { signingSecret, id: hookId } = hook.json<Method>();
    expect(signingSecret).toMatch(/^[\w-]{43}$/);

    const slack = (
      await asAlice('POST', '/api/v1/me/contact-methods', { kind: 'slack_dm', address: 'U024BE7LH' })
    ).json<Method>();
    expect((await codeDeliveries(t, slack.id))[0]?.channel_kind).toBe('slack');

    for (const url of [
      '/api/v1/me/contact-methods',
      `/api/v1/me/contact-methods/${hookId}`,
      '/api/v1/me/notification-setup',
    ]) {
      const body = (await asAlice('GET', url)).body;
      for (const secret of [keys.p256dh, keys.auth, signingSecret!]) expect(body).not.toContain(secret);
    }
    const rows = await t.tdb.storage.db.selectFrom('contact_methods').selectAll().execute();
    const dump =
      JSON.stringify(rows) +
      JSON.stringify(await t.tdb.storage.db.selectFrom('audit_log').selectAll().execute());
    for (const secret of [keys.p256dh, keys.auth, signingSecret!]) expect(dump).not.toContain(secret);
    // Capability URLs are cut to their host in the audit log.
    const audit = JSON.stringify(await t.tdb.storage.db.selectFrom('audit_log').selectAll().execute());
    expect(audit).not.toContain('t0ps3cr3t');
    expect(audit).toContain('https://hooks.example.com/…');

    expect(await contactDestination(t.app.ctx(), pushId)).toEqual({
      kind: 'push',
      address: 'https://push.example.com/send/abc',
      config: expect.objectContaining({ contactKind: 'push' }),
      secrets: keys,
    });
    expect(await contactDestination(t.app.ctx(), hookId)).toMatchObject({
      kind: 'webhook',
      address: 'https://hooks.example.com/alice/t0ps3cr3t',
      secrets: { signingSecret },
    });
    expect(await contactDestination(t.app.ctx(), slack.id)).toMatchObject({
      kind: 'slack',
      address: 'U024BE7LH',
      secrets: {},
    });
    expect(await contactDestination(t.app.ctx(), 'cm_0000000000NOSUCHMETHOD00')).toBeNull();

    // A new push subscription replaces endpoint and keys together, and must be verified again.
    const verified = await asAlice('POST', `/api/v1/me/contact-methods/${pushId}/verify`, {
      code: await latestCode(t, pushId),
    });
    expect(verified.json<Method>().verified).toBe(true);
    const moveOnly = await asAlice('PATCH', `/api/v1/me/contact-methods/${pushId}`, {
      address: 'https://push.example.com/send/def',
    });
    expect(moveOnly.statusCode).toBe(400);
    expect(moveOnly.json<Problem>().errors?.[0]?.pointer).toBe('/keys');
    const keys2 = pushKeys();
    const moved = await asAlice('PATCH', `/api/v1/me/contact-methods/${pushId}`, {
      address: 'https://push.example.com/send/def',
      keys: keys2,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<Method>()).toMatchObject({ verified: false, verification: { codeSent: true } });
    expect((await contactDestination(t.app.ctx(), pushId))?.secrets).toEqual(keys2);
  });

  it('hides my methods and rules from other people (404) and lets a global admin manage them', async () => {
    const { t, alice, root, asAlice, asBob, asRoot } = await setup();
    const m = await addVerified(t, asAlice, { kind: 'email', address: 'alice@example.com' });
    const rule = (await asAlice('GET', '/api/v1/me/notification-rules')).json<Rules>().high[0]!;

    const mine = `/api/v1/users/${alice.id}`;
    const checks: [string, Awaited<ReturnType<Caller>>][] = [
      ['list', await asBob('GET', `${mine}/contact-methods`)],
      ['get', await asBob('GET', `${mine}/contact-methods/${m.id}`)],
      ['get via me', await asBob('GET', `/api/v1/me/contact-methods/${m.id}`)],
      ['add', await asBob('POST', `${mine}/contact-methods`, { kind: 'sms', address: '+14155550123' })],
      ['rename', await asBob('PATCH', `${mine}/contact-methods/${m.id}`, { name: 'mine' })],
      ['rename via me', await asBob('PATCH', `/api/v1/me/contact-methods/${m.id}`, { name: 'mine' })],
      ['disable', await asBob('POST', `/api/v1/me/contact-methods/${m.id}/disable`)],
      ['verify', await asBob('POST', `/api/v1/me/contact-methods/${m.id}/verify`, { code: '123456' })],
      ['resend', await asBob('POST', `/api/v1/me/contact-methods/${m.id}/resend-code`)],
      ['delete', await asBob('DELETE', `/api/v1/me/contact-methods/${m.id}`)],
      ['rules', await asBob('GET', `${mine}/notification-rules`)],
      ['delete rule', await asBob('DELETE', `/api/v1/me/notification-rules/${rule.id}`)],
      ['setup', await asBob('GET', `${mine}/notification-setup`)],
    ];
    for (const [what, res] of checks) expect(`${what} → ${res.statusCode}`).toBe(`${what} → 404`);
    // Bob cannot hang a rule on Alice's method either.
    const foreignRule = await asBob('POST', '/api/v1/me/notification-rules', {
      contactMethodId: m.id,
      urgency: 'high',
      delayMinutes: 3,
    });
    expect(foreignRule.statusCode).toBe(400);
    expect(foreignRule.json<Problem>().errors?.[0]?.pointer).toBe('/contactMethodId');
    expect((await asBob('GET', '/api/v1/me/contact-methods')).json()).toEqual([]);
    expect((await asAlice('GET', `/api/v1/me/contact-methods/${m.id}`)).json<Method>()).toMatchObject({
      name: 'E-mail',
      disabled: false,
    });

    // Alice may use her own id too; a global admin may use anyone's.
    expect((await asAlice('GET', `${mine}/contact-methods`)).json()).toHaveLength(1);
    expect((await asRoot('GET', `${mine}/contact-methods`)).json<Method[]>().map((x) => x.id)).toEqual([
      m.id,
    ]);
    expect((await asRoot('POST', `${mine}/contact-methods/${m.id}/disable`)).json<Method>().disabled).toBe(
      true,
    );
    const byAdmin = await addVerified(t, asRoot, { kind: 'sms', address: '+14155550123' }, mine);
    expect(byAdmin.userId).toBe(alice.id);
    expect((await asAlice('GET', '/api/v1/me/contact-methods')).json()).toHaveLength(2);
    expect(
      (await asRoot('GET', `/api/v1/users/usr_0000000000NOSUCHUSER000/contact-methods`)).statusCode,
    ).toBe(404);
    // The audit log says who did it; Bob's attempts changed nothing.
    const entry = await t.tdb.storage.db
      .selectFrom('audit_log')
      .selectAll()
      .where('object_id', '=', m.id)
      .where('action', '=', 'contact_method.disabled')
      .executeTakeFirstOrThrow();
    expect(entry.actor_id).toBe(root.id);
    expect(await auditActions(t, m.id)).toEqual([
      'contact_method.created',
      'contact_method.verified',
      'contact_method.disabled',
    ]);
  });

  it('puts rules only on verified methods, groups them by urgency and plans pages soonest first', async () => {
    const { t, alice, asAlice } = await setup();
    // Push now, SMS at +2 minutes, a call at +5 (added out of order).
    const push = await addVerified(t, asAlice, {
      kind: 'push',
      address: 'https://push.example.com/send/abc',
      keys: pushKeys(),
    });
    const sms = await addVerified(t, asAlice, { kind: 'sms', address: '+14155550123' });
    const voice = await addVerified(t, asAlice, { kind: 'voice', address: '+14155550123' });
    const email = (
      await asAlice('POST', '/api/v1/me/contact-methods', { kind: 'email', address: 'alice@example.com' })
    ).json<Method>();

    const add = (contactMethodId: string, urgency: string, delayMinutes: number) =>
      asAlice('POST', '/api/v1/me/notification-rules', { contactMethodId, urgency, delayMinutes });
    expect((await add(voice.id, 'high', 5)).statusCode).toBe(201);
    const smsRule = await add(sms.id, 'high', 2);
    expect(smsRule.statusCode, smsRule.body).toBe(201);
    expect(smsRule.json<Rule>()).toMatchObject({ contactMethodKind: 'sms', delayMinutes: 2, active: true });
    expect((await add(voice.id, 'low', 30)).statusCode).toBe(201);

    const unverified = await add(email.id, 'high', 0);
    expect(unverified.statusCode).toBe(400);
    expect(unverified.json<Problem>().errors).toEqual([
      { pointer: '/contactMethodId', detail: expect.stringContaining('not verified') },
    ]);
    expect((await add(sms.id, 'high', 2)).statusCode).toBe(409);
    expect((await add(sms.id, 'high', 241)).statusCode).toBe(400);
    expect((await add(sms.id, 'urgent', 1)).statusCode).toBe(400);

    const rules = (await asAlice('GET', '/api/v1/me/notification-rules')).json<Rules>();
    const brief = (list: Rule[]) => list.map((r) => [r.contactMethodKind, r.delayMinutes]);
    expect(brief(rules.high)).toEqual([
      ['push', 0],
      ['sms', 2],
      ['voice', 5],
    ]);
    expect(brief(rules.low)).toEqual([
      ['push', 0],
      ['voice', 30],
    ]);

    const ctx = t.app.ctx();
    expect(await notificationPlan(ctx, alice.id, 'high')).toEqual([
      { contactMethodId: push.id, kind: 'push', channelKind: 'push', delayMinutes: 0 },
      { contactMethodId: sms.id, kind: 'sms', channelKind: 'sms', delayMinutes: 2 },
      { contactMethodId: voice.id, kind: 'voice', channelKind: 'voice', delayMinutes: 5 },
    ]);
    expect((await notificationPlan(ctx, alice.id, 'low')).map((p) => p.delayMinutes)).toEqual([0, 30]);

    // A disabled method keeps its rules but is not paged; a new address must be verified before it pages again.
    await asAlice('POST', `/api/v1/me/contact-methods/${sms.id}/disable`);
    const renumbered = await asAlice('PATCH', `/api/v1/me/contact-methods/${voice.id}`, {
      address: '+14155550199',
    });
    expect(renumbered.json<Method>()).toMatchObject({ verified: false, verification: { codeSent: true } });
    expect((await notificationPlan(ctx, alice.id, 'high')).map((p) => p.kind)).toEqual(['push']);
    const high = (await asAlice('GET', '/api/v1/me/notification-rules')).json<Rules>().high;
    expect(high.map((r) => [r.contactMethodKind, r.active])).toEqual([
      ['push', true],
      ['sms', false],
      ['voice', false],
    ]);
    // Renaming does not touch verification.
    expect(
      (await asAlice('PATCH', `/api/v1/me/contact-methods/${push.id}`, { name: 'Laptop' })).json<Method>(),
    ).toMatchObject({ name: 'Laptop', verified: true });
    await asAlice('POST', `/api/v1/me/contact-methods/${sms.id}/enable`);
    expect((await notificationPlan(ctx, alice.id, 'high')).map((p) => p.kind)).toEqual(['push', 'sms']);

    // Deleting a rule, and a method with its rules.
    const smsHigh = high.find((r) => r.contactMethodKind === 'sms')!;
    expect((await asAlice('DELETE', `/api/v1/me/notification-rules/${smsHigh.id}`)).statusCode).toBe(204);
    expect((await asAlice('DELETE', `/api/v1/me/notification-rules/${smsHigh.id}`)).statusCode).toBe(404);
    expect((await asAlice('DELETE', `/api/v1/me/contact-methods/${voice.id}`)).statusCode).toBe(204);
    const left = (await asAlice('GET', '/api/v1/me/notification-rules')).json<Rules>();
    expect(brief(left.high)).toEqual([['push', 0]]);
    expect(brief(left.low)).toEqual([['push', 0]]);
    expect(await auditActions(t, voice.id)).toEqual([
      'contact_method.created',
      'contact_method.verified',
      'contact_method.updated',
      'contact_method.deleted',
    ]);
    // The code deliveries of a deleted method stay in the log.
    expect(
      await t.tdb.storage.db
        .selectFrom('deliveries')
        .select('dedup_key')
        .where('dedup_key', 'like', `verify:${voice.id}:%`)
        .execute(),
    ).toHaveLength(2);
  });

  it('shows the whole set-up with warnings about what would leave me unreachable', async () => {
    const { t, alice, asAlice } = await setup();
    const warnings = async () =>
      (await asAlice('GET', '/api/v1/me/notification-setup')).json<Setup>().warnings.map((w) => w.code);
    expect(await warnings()).toEqual(['no_verified_method']);
    const sms = (
      await asAlice('POST', '/api/v1/me/contact-methods', { kind: 'sms', address: '+14155550123' })
    ).json<Method>();
    expect(await warnings()).toEqual(['no_verified_method']);
    await asAlice('POST', `/api/v1/me/contact-methods/${sms.id}/verify`, {
      code: await latestCode(t, sms.id),
    });
    expect(await warnings()).toEqual(['single_method']);
    const whole = (await asAlice('GET', '/api/v1/me/notification-setup')).json<Setup>();
    expect(whole.contactMethods.map((m) => m.id)).toEqual([sms.id]);
    expect(whole.rules.high.map((r) => r.delayMinutes)).toEqual([0]);

    await asAlice('DELETE', `/api/v1/me/notification-rules/${whole.rules.high[0]!.id}`);
    expect(await warnings()).toEqual(['no_immediate_high_urgency_rule', 'single_method']);
    const email = await addVerified(t, asAlice, { kind: 'email', address: 'alice@example.com' });
    // A second verified method gets no rule by itself: pages would never reach it, and the set-up says so.
    expect(await warnings()).toEqual(['no_immediate_high_urgency_rule', 'method_without_rule']);
    await asAlice('POST', '/api/v1/me/notification-rules', {
      contactMethodId: email.id,
      urgency: 'high',
      delayMinutes: 0,
    });
    expect(await warnings()).toEqual([]);
    // A deactivated person is paged through nothing.
    await t.tdb.storage.db
      .updateTable('users')
      .set({ status: 'deactivated' })
      .where('id', '=', alice.id)
      .execute();
    expect(await notificationPlan(t.app.ctx(), alice.id, 'high')).toEqual([]);
  });
});
