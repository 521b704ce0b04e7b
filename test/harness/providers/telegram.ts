import { startFakeHttpServer, type FakeHttpServer, type ScriptedReply } from './fake-http.ts';

/**
 * A fake Telegram Bot API: `POST /bot<token>/sendMessage` with a JSON body answers `{ok: true, result: Message}`
 * or `{ok: false, error_code, description, parameters?}` with the same HTTP status, as the real API does. It knows
 * a set of chats, rejects HTML it could not parse (so escaping is tested for real) and URL buttons that are not
 * http(s). `floodWait` scripts flood control (429 with `parameters.retry_after`).
 */
export interface FakeTelegram extends FakeHttpServer {
  /** The token the fake accepts. */
  readonly botToken: string;
  /** Chats that exist; add to it. Defaults: a private chat `4242` and a supergroup `-1001234567890`. */
  readonly chats: Set<string>;
  /** Chats whose user blocked the bot (403). */
  readonly blocked: Set<string>;
  /** Messages sent so far: the request bodies. */
  readonly sent: Record<string, unknown>[];
  floodWait(retryAfterSeconds: number): void;
}

const TOKEN = '123456789:AAFakeTokenForTests_abcdefghijklmno';
const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'tg-spoiler',
  'span',
  'blockquote',
]);

function fail(code: number, description: string, parameters?: Record<string, unknown>): ScriptedReply {
  return {
    status: code,
    body: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) },
  };
}

/** The first problem Telegram's HTML parser would report, or undefined when the text parses. */
export function telegramHtmlProblem(text: string): string | undefined {
  const open: string[] = [];
  const token = /<\/?([a-z-]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*>|<|&(?:#\d+|#x[0-9a-f]+|[a-z]+);|&/gi;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    const whole = m[0];
    if (whole === '<') return `Unsupported start tag at byte offset ${m.index}`;
    if (whole === '&') return `Unclosed entity at byte offset ${m.index}`;
    if (whole.startsWith('&')) {
      if (!/^&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);$/i.test(whole)) return `Unsupported entity ${whole}`;
      continue;
    }
    const name = (m[1] ?? '').toLowerCase();
    if (!TAGS.has(name)) return `Unsupported start tag "${name}" at byte offset ${m.index}`;
    if (whole.startsWith('</')) {
      if (open.pop() !== name) return `Can't find end tag corresponding to start tag "${name}"`;
    } else {
      if (name === 'a' && !/\shref="https?:\/\/[^"]+"/.test(whole)) return 'Wrong HTTP URL';
      open.push(name);
    }
  }
  return open.length > 0
    ? `Can't find end tag corresponding to start tag "${open[open.length - 1]}"`
    : undefined;
}

function buttonProblem(markup: unknown): string | undefined {
  if (markup === undefined) return undefined;
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (!Array.isArray(rows))
    return 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array';
  for (const row of rows) {
    if (!Array.isArray(row))
      return "Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be an Object";
    for (const b of row as { text?: unknown; url?: unknown }[]) {
      if (typeof b.text !== 'string' || b.text === '')
        return 'Bad Request: text buttons are unallowed in the inline keyboard';
      if (typeof b.url !== 'string' || !/^(https?|tg):\/\//.test(b.url))
        return 'Bad Request: BUTTON_URL_INVALID';
    }
  }
  return undefined;
}

export async function startFakeTelegram(): Promise<FakeTelegram> {
  const chats = new Set(['4242', '-1001234567890']);
  const blocked = new Set<string>();
  const sent: Record<string, unknown>[] = [];
  let messageId = 100;
  const server = await startFakeHttpServer((req): ScriptedReply => {
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url.pathname);
    if (!m) return fail(404, 'Not Found');
    if (decodeURIComponent(m[1] ?? '') !== TOKEN) return fail(401, 'Unauthorized');
    if (m[2]?.toLowerCase() !== 'sendmessage') return fail(404, 'Not Found: method not found');
    const body = req.json as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') return fail(400, 'Bad Request: message text is empty');
    const chat =
      typeof body.chat_id === 'string' || typeof body.chat_id === 'number' ? String(body.chat_id) : '';
    if (chat === '') return fail(400, 'Bad Request: chat_id is empty');
    const text = typeof body.text === 'string' ? body.text : '';
    if (text.trim() === '') return fail(400, 'Bad Request: message text is empty');
    if (!chats.has(chat)) return fail(400, 'Bad Request: chat not found');
    if (blocked.has(chat)) return fail(403, 'Forbidden: bot was blocked by the user');
    if (body.parse_mode === 'HTML') {
      const problem = telegramHtmlProblem(text);
      if (problem) return fail(400, `Bad Request: can't parse entities: ${problem}`);
    }
    if (text.replace(/<[^>]*>/g, '').length > 4096) return fail(400, 'Bad Request: message is too long');
    const buttons = buttonProblem(body.reply_markup);
    if (buttons) return fail(400, buttons);
    sent.push(body);
    messageId += 1;
    return {
      status: 200,
      body: {
        ok: true,
        result: {
          message_id: messageId,
          date: 1767225600,
          chat: { id: Number(chat), type: chat.startsWith('-') ? 'supergroup' : 'private' },
          text: text.replace(/<[^>]*>/g, ''),
        },
      },
    };
  });
  return {
    ...server,
    botToken: TOKEN,
    chats,
    blocked,
    sent,
    floodWait(retryAfterSeconds) {
      server.reply(
        fail(429, `Too Many Requests: retry after ${retryAfterSeconds}`, { retry_after: retryAfterSeconds }),
      );
    },
  };
}
