import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DIALECT } from '../harness/db.ts';
import { setupResponse, type ResponseSetup } from '../harness/response.ts';

const MINUTE = 60_000;

/** Escalation: who is paged when, exactly once per step, stopped by an acknowledgement (issue 5, R-ESC-3). */
describe(`escalation policies page on time (${TEST_DIALECT})`, () => {
  let s: ResponseSetup | undefined;
  afterEach(async () => {
    await s?.t.close();
    s = undefined;
  });

  const pages = (x: ResponseSetup, path: string) => x.received(path).filter((m) => m.kind === 'page');

  it('a 3-step policy pages at 0, 5 and 15 minutes, each person once, and stops when acknowledged', async () => {
    s = await setupResponse();
    const [ana, bo, cy] = [await s.responder('ana'), await s.responder('bo'), await s.responder('cy')];
    await s.usePolicy([
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: ana.id }], roundRobin: false },
      { escalateAfterMinutes: 10, targets: [{ type: 'user', id: bo.id }], roundRobin: false },
      { escalateAfterMinutes: 10, targets: [{ type: 'user', id: cy.id }], roundRobin: false },
    ]);
    await s.fire('db-down');
    expect(pages(s, ana.path)).toHaveLength(1);
    expect(pages(s, bo.path)).toHaveLength(0);

    await s.advance(4 * MINUTE);
    expect(pages(s, bo.path)).toHaveLength(0);
    await s.advance(1 * MINUTE);
    expect(pages(s, bo.path)).toHaveLength(1);
    await s.advance(9 * MINUTE);
    expect(pages(s, cy.path)).toHaveLength(0);
    await s.advance(1 * MINUTE);
    expect(pages(s, cy.path)).toHaveLength(1);

    const incidentId = await s.incidentId();
    const during = await s.admin('GET', `/api/v1/incidents/${incidentId}/escalation`);
    expect(during.json()).toMatchObject({ state: 'active', step: 3, steps: 3, round: 1, rounds: 1 });
    const ack = await cy.call('POST', `/api/v1/incidents/${incidentId}/acknowledge`);
    expect(ack.statusCode).toBe(200);
    await s.drain();
    await s.advance(60 * MINUTE, 5 * MINUTE);
    expect([pages(s, ana.path), pages(s, bo.path), pages(s, cy.path)].map((p) => p.length)).toEqual([
      1, 1, 1,
    ]);

    const types = (await s.timeline(incidentId)).map((e) => e.type);
    expect(types.filter((x) => x === 'escalation.step_started')).toHaveLength(3);
    expect(types).toContain('escalation.stopped');
    expect(types).not.toContain('escalation.exhausted');
    const after = await s.admin('GET', `/api/v1/incidents/${incidentId}/escalation`);
    expect(after.json()).toMatchObject({ state: 'stopped', nextStepAt: null });
    // The ones who were paged hear that someone is on it (webhooks carry updates).
    expect(s.received(ana.path).map((m) => m.event)).toEqual(['notice', 'triggered', 'acknowledged']);
  });

  it('an acknowledgement committed before a step is due means that step never pages', async () => {
    s = await setupResponse();
    const [ana, bo] = [await s.responder('ana'), await s.responder('bo')];
    await s.usePolicy([
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: ana.id }], roundRobin: false },
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: bo.id }], roundRobin: false },
    ]);
    await s.fire('cpu');
    await s.advance(4 * MINUTE + 59_000, 60_000);
    const incidentId = await s.incidentId();
    expect((await ana.call('POST', `/api/v1/incidents/${incidentId}/acknowledge`)).statusCode).toBe(200);
    await s.advance(30 * MINUTE);
    expect(pages(s, bo.path)).toHaveLength(0);
    expect(s.received(bo.path).filter((m) => m.kind !== 'verification')).toHaveLength(0);
  });

  it('skips a step with nobody to page at once, loudly, and pages the next step without waiting', async () => {
    s = await setupResponse();
    const ana = await s.responder('ana');
    // A team with no schedule has nobody on call.
    await s.usePolicy([
      { escalateAfterMinutes: 30, targets: [{ type: 'team', id: s.teamId }], roundRobin: false },
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: ana.id }], roundRobin: false },
    ]);
    await s.fire('disk');
    expect(pages(s, ana.path)).toHaveLength(1);
    const timeline = await s.timeline(await s.incidentId());
    const skipped = timeline.find((e) => e.type === 'escalation.no_one_on_call');
    expect(skipped?.data).toMatchObject({ step: 1, round: 1 });
    expect(String(skipped?.data.warning)).toMatch(/nobody to page/);
  });

  it('repeats the policy N times, then stops and says so', async () => {
    s = await setupResponse();
    const ana = await s.responder('ana');
    await s.usePolicy(
      [{ escalateAfterMinutes: 5, targets: [{ type: 'user', id: ana.id }], roundRobin: false }],
      2,
    );
    await s.fire('mem');
    await s.advance(60 * MINUTE);
    expect(pages(s, ana.path)).toHaveLength(3);
    const exhausted = (await s.timeline(await s.incidentId())).filter(
      (e) => e.type === 'escalation.exhausted',
    );
    expect(exhausted).toHaveLength(1);
    expect(String(exhausted[0]!.data.warning)).toMatch(/ran 3 time\(s\)/);
  });

  it('round-robin pages one person of the step per round, in turn', async () => {
    s = await setupResponse();
    const [ana, bo] = [await s.responder('ana'), await s.responder('bo')];
    await s.usePolicy(
      [
        {
          escalateAfterMinutes: 5,
          targets: [
            { type: 'user', id: ana.id },
            { type: 'user', id: bo.id },
          ],
          roundRobin: true,
        },
      ],
      2,
    );
    await s.fire('rr');
    expect([pages(s, ana.path).length, pages(s, bo.path).length]).toEqual([1, 0]);
    await s.advance(5 * MINUTE);
    expect([pages(s, ana.path).length, pages(s, bo.path).length]).toEqual([1, 1]);
    await s.advance(5 * MINUTE);
    expect([pages(s, ana.path).length, pages(s, bo.path).length]).toEqual([2, 1]);
  });

  it('un-acknowledging restarts escalation from the first step', async () => {
    s = await setupResponse();
    const ana = await s.responder('ana');
    await s.usePolicy([
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: ana.id }], roundRobin: false },
    ]);
    await s.fire('net');
    const incidentId = await s.incidentId();
    await ana.call('POST', `/api/v1/incidents/${incidentId}/acknowledge`);
    await s.advance(10 * MINUTE);
    expect(pages(s, ana.path)).toHaveLength(1);
    expect((await ana.call('POST', `/api/v1/incidents/${incidentId}/unacknowledge`)).statusCode).toBe(200);
    await s.drain();
    expect(pages(s, ana.path)).toHaveLength(2);
  });

  it('pages from the snapshot taken when the incident opened: later policy edits change nothing in flight', async () => {
    s = await setupResponse();
    const [ana, bo] = [await s.responder('ana'), await s.responder('bo')];
    const policyId = await s.usePolicy([
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: ana.id }], roundRobin: false },
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: ana.id }], roundRobin: false },
    ]);
    await s.fire('snap');
    const edit = await s.admin('PATCH', `/api/v1/escalation-policies/${policyId}`, {
      steps: [
        { escalateAfterMinutes: 5, targets: [{ type: 'user', id: bo.id }], roundRobin: false },
        { escalateAfterMinutes: 5, targets: [{ type: 'user', id: bo.id }], roundRobin: false },
      ],
    });
    expect(edit.statusCode).toBe(200);
    await s.advance(5 * MINUTE);
    expect(pages(s, ana.path)).toHaveLength(2);
    expect(pages(s, bo.path)).toHaveLength(0);
  });

  it('says so on the timeline when the service has no policy, or a person cannot be reached', async () => {
    s = await setupResponse();
    await s.fire('orphan');
    expect((await s.timeline(await s.incidentId())).map((e) => e.type)).toContain('escalation.no_policy');

    const unreachable = await s.responder('dee');
    await unreachable.call('POST', `/api/v1/me/contact-methods/${unreachable.methodId}/disable`);
    await s.usePolicy([
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: unreachable.id }], roundRobin: false },
    ]);
    await s.fire('unreachable');
    const warn = (await s.timeline(await s.incidentId())).find((e) => e.type === 'escalation.unreachable');
    expect(String(warn?.data.warning)).toMatch(/dee cannot be reached/);
  });

  it("follows each person's rules for the incident's urgency: a second method at +2 min, skipped once acknowledged", async () => {
    s = await setupResponse();
    const x = s;
    const ana = await x.responder('ana');
    // A second webhook method ("SMS-like") paged 2 minutes after the first, for high urgency only.
    const second = await ana.call('POST', '/api/v1/me/contact-methods', {
      kind: 'webhook',
      name: 'later',
      address: `${x.receiver.origin}/hook/ana-later`,
    });
    const secondId = second.json<{ id: string }>().id;
    await x.drain();
    const code = /(\d{6})/.exec(x.received('/hook/ana-later')[0]!.subject)![1]!;
    expect(
      (await ana.call('POST', `/api/v1/me/contact-methods/${secondId}/verify`, { code })).statusCode,
    ).toBe(200);
    const rule = await ana.call('POST', '/api/v1/me/notification-rules', {
      contactMethodId: secondId,
      urgency: 'high',
      delayMinutes: 2,
    });
    expect(rule.statusCode, rule.body).toBe(201);
    await x.usePolicy([
      { escalateAfterMinutes: 30, targets: [{ type: 'user', id: ana.id }], roundRobin: false },
    ]);

    await x.fire('rules-1');
    const later = () => x.received('/hook/ana-later').filter((m) => m.kind === 'page');
    expect(pages(x, ana.path)).toHaveLength(1);
    expect(later()).toHaveLength(0);
    await x.advance(2 * MINUTE);
    expect(later()).toHaveLength(1); // nobody acknowledged: the +2 min rule fires

    await x.fire('rules-2');
    const incidentId = await x.incidentId();
    await ana.call('POST', `/api/v1/incidents/${incidentId}/acknowledge`);
    await x.advance(5 * MINUTE);
    expect(later()).toHaveLength(1); // acknowledged within 2 minutes: the second method is never paged
    const log = (await x.admin('GET', `/api/v1/incidents/${incidentId}/deliveries`)).json<
      { status: string; reason: string | null }[]
    >();
    expect(log.find((d) => d.status === 'suppressed')?.reason).toBe('incident acknowledged');

    // A low-urgency service pages only through low-urgency rules (the default rule made at verification).
    await x.admin('PATCH', `/api/v1/services/${x.serviceId}`, { urgency: 'low' });
    await x.fire('rules-3');
    await x.advance(5 * MINUTE);
    expect(later()).toHaveLength(1);
    expect(pages(x, ana.path)).toHaveLength(3);
  });

  it('holds back pages of a service put under maintenance while its incident escalates', async () => {
    s = await setupResponse();
    const [ana, bo] = [await s.responder('ana'), await s.responder('bo')];
    await s.usePolicy([
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: ana.id }], roundRobin: false },
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: bo.id }], roundRobin: false },
    ]);
    await s.fire('maint');
    expect(pages(s, ana.path)).toHaveLength(1);
    const now = s.t.clock.now();
    const window = await s.admin('POST', '/api/v1/maintenance-windows', {
      name: 'emergency patching',
      serviceId: s.serviceId,
      matchers: [],
      schedule: { kind: 'once', startsAt: now, endsAt: now + 60 * MINUTE },
    });
    expect(window.statusCode, window.body).toBe(201);
    await s.advance(5 * MINUTE);
    expect(pages(s, bo.path)).toHaveLength(0);
    const log = (await s.admin('GET', `/api/v1/incidents/${await s.incidentId()}/deliveries`)).json<
      { to: string; status: string; reason: string | null }[]
    >();
    expect(log.find((d) => d.to === 'bo')).toMatchObject({
      status: 'suppressed',
      reason: 'maintenance window',
    });
  });
});
