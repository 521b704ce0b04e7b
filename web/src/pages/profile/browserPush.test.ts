import { describe, expect, it } from 'vitest';
import { base64UrlToBytes, browserName, sameEndpoint } from './browserPush.ts';

describe('subscribing this browser to web push', () => {
  it('turns the base64url VAPID public key into the 65 bytes of its P-256 point', () => {
    const bytes = Uint8Array.from({ length: 65 }, (_, i) => (i * 37 + 4) % 256);
    bytes[0] = 4;
    const key = Buffer.from(bytes).toString('base64url');
    expect(key).toMatch(/[-_]/); // the URL-safe alphabet is exercised
    expect([...base64UrlToBytes(key)]).toEqual([...bytes]);
    expect([...base64UrlToBytes(`${Buffer.from('ab?').toString('base64url')}=`)]).toEqual([97, 98, 63]);
  });

  it('names the contact method after the browser and system, so two laptops are told apart', () => {
    expect(browserName('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe(
      'Firefox on Linux',
    );
    expect(
      browserName(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
      ),
    ).toBe('Edge on Windows');
    expect(
      browserName(
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
      ),
    ).toBe('Chrome on Android');
    expect(
      browserName(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari on iOS');
    expect(browserName('curl/8.0')).toBe('Browser');
  });

  it('recognises this browser’s subscription among the contact methods as the server stored it', () => {
    expect(
      sameEndpoint('https://push.example.com/send/a%2Fb', 'https://PUSH.example.com:443/send/a%2Fb'),
    ).toBe(true);
    expect(sameEndpoint('https://push.example.com/send/a', 'https://push.example.com/send/b')).toBe(false);
  });
});
