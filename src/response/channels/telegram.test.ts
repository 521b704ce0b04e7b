import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startFakeTelegram,
  telegramHtmlProblem,
  type FakeTelegram,
} from '../../../test/harness/providers/telegram.ts';
import {
  ACK_URL,
  bundleSummary,
  destination,
  hostilePage,
  INCIDENT,
  RESOLVE_URL,
  resolvedUpdate,
  sendContext,
  triggeredPage,
} from '../../../test/harness/providers/sample-messages.ts';
import type { Notifier } from './notifier.ts';
import { checkTelegramDestination, createTelegramNotifier } from './telegram.ts';

interface Body {
  chat_id: string;
  text: string;
  parse_mode: string;
  disable_notification: boolean;
  link_preview_options: { is_disabled: boolean };
  reply_markup?: { inline_keyboard: { text: string; url: string }[][] };
}

let fake: FakeTelegram;
let notifier: Notifier;
const GROUP = '-1001234567890';
const dest = (address = GROUP) => destination('telegram', { address });

beforeEach(async () => {
  fake = await startFakeTelegram();
  notifier = createTelegramNotifier({ apiBaseUrl: fake.baseUrl, botToken: fake.botToken });
});
afterEach(async () => {
  await fake.close();
});

describe('Telegram Bot API', () => {
  it('calls sendMessage with HTML text and URL buttons, and records the message id', async () => {
    const outcome = await notifier.send(triggeredPage(), dest(), sendContext());

    expect(outcome).toEqual({ status: 'sent', providerMessageId: '101', statusCode: 200 });
    const req = fake.last();
    expect(req.method).toBe('POST');
    expect(req.url.pathname).toBe(`/bot${fake.botToken}/sendMessage`);
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    const body = req.json as Body;
    expect(body.chat_id).toBe(GROUP);
    expect(body.parse_mode).toBe('HTML');
    expect(body.disable_notification).toBe(false);
    expect(body.link_preview_options).toEqual({ is_disabled: true });
    expect(body.text).toContain('<b>Severity:</b> critical');
    expect(body.text).toContain(`<a href="${INCIDENT.url}">Incident #42</a>`);
    expect(body.reply_markup?.inline_keyboard).toEqual([
      [
        { text: 'Acknowledge', url: ACK_URL },
        { text: 'Resolve', url: RESOLVE_URL },
      ],
      [{ text: 'Open incident', url: INCIDENT.url }],
    ]);
  });

  it('sends a resolved update quietly and without acknowledge/resolve buttons', async () => {
    expect(await notifier.send(resolvedUpdate(), dest(), sendContext())).toMatchObject({ status: 'sent' });
    const body = fake.last().json as Body;
    expect(body.disable_notification).toBe(true);
    expect(body.reply_markup?.inline_keyboard).toEqual([[{ text: 'Open incident', url: INCIDENT.url }]]);
  });

  it('HTML-escapes alert text, so Telegram parses it and shows it literally', async () => {
    const outcome = await notifier.send(hostilePage(), dest(), sendContext());

    expect(outcome).toMatchObject({ status: 'sent' });
    const body = fake.last().json as Body;
    expect(telegramHtmlProblem(body.text)).toBeUndefined();
    expect(body.text).toContain('&lt;b&gt;x&lt;/b&gt; &lt;/a&gt; &amp; `code`');
    expect(body.text).not.toContain('<b>x</b>');
  });

  it('waits out flood control for parameters.retry_after seconds', async () => {
    fake.floodWait(7);
    expect(await notifier.send(triggeredPage(), dest(), sendContext())).toEqual({
      status: 'failed_temporary',
      reason: 'Too Many Requests: retry after 7',
      retryAfterMs: 7_000,
      statusCode: 429,
    });
  });

  it('does not retry a chat that does not exist, a blocked bot or a wrong token', async () => {
    expect(await notifier.send(triggeredPage(), dest('777'), sendContext())).toEqual({
      status: 'failed_permanent',
      reason: 'Bad Request: chat not found',
      statusCode: 400,
    });

    fake.blocked.add('4242');
    expect(await notifier.send(triggeredPage(), dest('4242'), sendContext())).toMatchObject({
      status: 'failed_permanent',
      reason: 'Forbidden: bot was blocked by the user',
      statusCode: 403,
    });

    const wrongToken = createTelegramNotifier({ apiBaseUrl: fake.baseUrl, botToken: '1:wrong' });
    expect(await wrongToken.send(triggeredPage(), dest(), sendContext())).toMatchObject({
      status: 'failed_permanent',
      statusCode: 401,
    });
  });

  it('says which chat id to use after a group became a supergroup', async () => {
    fake.reply({
      status: 400,
      body: {
        ok: false,
        error_code: 400,
        description: 'Bad Request: group chat was upgraded to a supergroup chat',
        parameters: { migrate_to_chat_id: -1009876543210 },
      },
    });
    expect(await notifier.send(triggeredPage(), dest(), sendContext())).toMatchObject({
      status: 'failed_permanent',
      reason: expect.stringContaining('-1009876543210') as string,
    });
  });

  it('retries server errors, including ones that are not Bot API JSON', async () => {
    fake.reply({ status: 502, body: '<html>Bad Gateway</html>' });
    expect(await notifier.send(triggeredPage(), dest(), sendContext())).toMatchObject({
      status: 'failed_temporary',
      statusCode: 502,
    });
    fake.reply({ status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } });
    expect(await notifier.send(triggeredPage(), dest(), sendContext())).toMatchObject({
      status: 'failed_temporary',
      statusCode: 500,
    });
  });

  it('lists the incidents of a bundled summary as links', async () => {
    expect(await notifier.send(bundleSummary(), dest(), sendContext())).toMatchObject({ status: 'sent' });
    const body = fake.last().json as Body;
    expect(body.text).toContain(
      '<a href="https://siaga.example.com/incidents/inc_0000000043">#43 [warning] Disk almost full on db-43 (checkout-api)</a>',
    );
    expect(body.text).toContain('… and 9 more');
  });

  it('fails permanently, without calling Telegram, when no bot token is configured', async () => {
    const unconfigured = createTelegramNotifier({ apiBaseUrl: fake.baseUrl, botToken: '' });
    expect(await unconfigured.send(triggeredPage(), dest(), sendContext())).toMatchObject({
      status: 'failed_permanent',
    });
    expect(fake.requests).toHaveLength(0);
    expect(unconfigured.check(dest())).toEqual([
      { pointer: '/kind', detail: expect.stringContaining('notify.telegram.botToken') as string },
    ]);
  });

  it('checks chat ids without calling Telegram', () => {
    expect(checkTelegramDestination(dest('-1001234567890'))).toEqual([]);
    expect(checkTelegramDestination(dest('4242'))).toEqual([]);
    expect(checkTelegramDestination(dest('@siaga_alerts'))).toEqual([]);
    expect(checkTelegramDestination(dest(''))).toHaveLength(1);
    expect(checkTelegramDestination(dest('https://t.me/foo'))).toEqual([
      { pointer: '/address', detail: expect.stringContaining('chat id') as string },
    ]);
    expect(notifier.secretKeys).toEqual([]);
  });
});
