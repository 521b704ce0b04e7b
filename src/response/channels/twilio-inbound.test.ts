import { describe, expect, it } from 'vitest';
import { parseSmsReply, parseVoiceDigits, twimlEmpty, twimlMessage, twimlSay } from './twilio-inbound.ts';

describe('SMS replies', () => {
  it.each([
    ['a 42', 'acknowledge', 42],
    ['A42', 'acknowledge', 42],
    ['ack 42', 'acknowledge', 42],
    ['ACK 42', 'acknowledge', 42],
    ['Acknowledge #42', 'acknowledge', 42],
    ['  a   7  ', 'acknowledge', 7],
    ['a 42.', 'acknowledge', 42],
    ['r 42', 'resolve', 42],
    ['R42', 'resolve', 42],
    ['res 42', 'resolve', 42],
    ['resolve 42', 'resolve', 42],
    ['Resolve 123456789', 'resolve', 123456789],
  ] as const)('%j → %s #%i', (body, action, incidentNumber) => {
    expect(parseSmsReply(body)).toEqual({ action, incidentNumber });
  });

  it.each([
    '',
    'a',
    '42',
    'ok',
    'ack',
    'a 0',
    'a -1',
    'a 4.2',
    'a 42 43',
    'x 42',
    'acked 42',
    'please ack 42',
    'a 1234567890',
    'STOP',
  ])('%j is not a reply', (body) => {
    expect(parseSmsReply(body)).toBeNull();
  });
});

describe('voice keypress', () => {
  it('maps 1 to acknowledge, 2 to resolve, and anything else to nothing', () => {
    expect(parseVoiceDigits('1')).toBe('acknowledge');
    expect(parseVoiceDigits('2')).toBe('resolve');
    for (const other of ['3', '', '12', '*', undefined]) expect(parseVoiceDigits(other)).toBeNull();
  });
});

describe('TwiML answers', () => {
  it('escapes the text of a reply message and a spoken answer', () => {
    expect(twimlMessage('Acknowledged #42 <Checkout> & "more"')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Acknowledged #42 &lt;Checkout&gt; &amp; &quot;more&quot;</Message></Response>',
    );
    expect(twimlSay("Resolved. It's </Say><Dial>+1</Dial>")).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Resolved. It&apos;s &lt;/Say&gt;&lt;Dial&gt;+1&lt;/Dial&gt;</Say></Response>',
    );
    expect(twimlEmpty()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  });

  it('drops characters XML cannot carry', () => {
    expect(twimlSay('a\u0000b\u0007c\td')).toContain('<Say>abc\td</Say>');
  });
});
