import { describe, expect, it } from 'vitest';
import { DEFAULT_OUTBOUND_POLICY, allowEntryProblem, checkOutboundUrl } from './ssrf-policy.ts';

const strict = DEFAULT_OUTBOUND_POLICY;

describe('checkOutboundUrl (create-time check, no DNS)', () => {
  it.each([
    'https://hooks.example.com/services/T0/B0/xyz',
    'http://example.com:8080/hook',
    'https://93.184.216.34/hook',
    'https://[2606:4700::1111]/hook',
  ])('accepts the public destination %s', (url) => {
    expect(checkOutboundUrl(strict, url)).toBeNull();
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a link-local address/],
    ['http://[fd00:ec2::254]/', /fd00:ec2::254 is a private address \(fc00::\/7\)/],
    ['http://127.0.0.2/', /loopback/],
    ['http://[::1]:8080/', /loopback/],
    ['http://0.0.0.0/', /unspecified/],
    ['http://10.1.2.3/', /private/],
    ['http://172.16.5.4/', /private/],
    ['http://192.168.0.10/', /private/],
    ['http://100.64.1.1/', /private/],
    ['http://[fe80::1]/', /link-local/],
    ['http://[::ffff:127.0.0.2]/', /127\.0\.0\.2 is a loopback/],
    ['http://224.0.0.1/', /multicast/],
    ['http://255.255.255.255/', /broadcast/],
    // The WHATWG parser turns these into 127.0.0.2 before the check sees them.
    ['http://2130706434/', /127\.0\.0\.2 is a loopback/],
    ['http://0177.0.0.2/', /127\.0\.0\.2 is a loopback/],
    ['http://0x7f000002/', /127\.0\.0\.2 is a loopback/],
    ['http://0x7f.0.0.2/', /127\.0\.0\.2 is a loopback/],
    ['http://127.2/', /127\.0\.0\.2 is a loopback/],
    ['http://localhost:3000/', /localhost is this machine/],
    ['http://LOCALHOST./', /localhost is this machine/],
    ['http://api.localhost/', /this machine/],
    ['file:///etc/passwd', /only http and https/],
    ['gopher://example.com/', /only http and https/],
    ['ftp://example.com/', /only http and https/],
    ['data:text/plain,hi', /only http and https/],
    ['unix:/var/run/docker.sock', /only http and https/],
    ['https://user:pass@example.com/', /credentials/],
    ['http://example.com:25/', /port 25/],
    ['http://93.184.216.34:6379x/', /not a valid URL/],
    ['not a url', /not a valid URL/],
    [`https://example.com/${'a'.repeat(5000)}`, /longer than/],
  ])('refuses %s', (url, reason) => {
    expect(checkOutboundUrl(strict, url)).toMatch(reason);
  });

  it('lets the operator open private networks, but not loopback or metadata, with allowPrivate', () => {
    const policy = { allowPrivate: true, allow: [] };
    expect(checkOutboundUrl(policy, 'http://10.1.2.3:9000/')).toBeNull();
    expect(checkOutboundUrl(policy, 'http://[fd00::5]/')).toBeNull();
    expect(checkOutboundUrl(policy, 'http://127.0.0.1/')).toMatch(/loopback/);
    expect(checkOutboundUrl(policy, 'http://169.254.169.254/')).toMatch(/link-local/);
  });

  it('allows exactly what the allowlist names', () => {
    const policy = {
      allowPrivate: false,
      allow: ['127.0.0.1:9000', '10.20.0.0/16', 'hooks.internal:8443', '[::1]:7000', '192.168.1.5'],
    };
    expect(checkOutboundUrl(policy, 'http://127.0.0.1:9000/hook')).toBeNull();
    expect(checkOutboundUrl(policy, 'http://127.0.0.1:9001/hook')).toMatch(/loopback/);
    expect(checkOutboundUrl(policy, 'http://127.0.0.2:9000/hook')).toMatch(/loopback/);
    expect(checkOutboundUrl(policy, 'http://10.20.3.4:1234/')).toBeNull();
    expect(checkOutboundUrl(policy, 'http://10.21.3.4/')).toMatch(/private/);
    expect(checkOutboundUrl(policy, 'https://HOOKS.internal:8443/x')).toBeNull();
    expect(checkOutboundUrl(policy, 'https://hooks.internal/x')).toBeNull(); // a name passes until DNS says otherwise
    expect(checkOutboundUrl(policy, 'http://[::1]:7000/')).toBeNull();
    expect(checkOutboundUrl(policy, 'http://[::1]:7001/')).toMatch(/loopback/);
    expect(checkOutboundUrl(policy, 'http://192.168.1.5:25/')).toBeNull();
  });

  it("refuses Siaga's own public address even when allowlisted, so notifications cannot loop", () => {
    const policy = {
      allowPrivate: false,
      allow: ['siaga.example.com:443', '127.0.0.1:8080'],
      selfUrl: 'https://Siaga.example.com/',
    };
    expect(checkOutboundUrl(policy, 'https://siaga.example.com/api/v1/integrations/x')).toMatch(
      /siaga\.example\.com is Siaga itself/,
    );
    expect(checkOutboundUrl(policy, 'https://siaga.example.com./')).toMatch(/Siaga itself/);
    expect(checkOutboundUrl(policy, 'https://hooks.example.com/')).toBeNull();
    const local = {
      allowPrivate: false,
      allow: ['127.0.0.1:8080', '127.0.0.1:9000'],
      selfUrl: 'http://127.0.0.1:8080',
    };
    expect(checkOutboundUrl(local, 'http://127.0.0.1:8080/api/v1/x')).toMatch(/Siaga itself/);
    expect(checkOutboundUrl(local, 'http://127.0.0.1:9000/hook')).toBeNull();
  });

  it('names what is wrong with a bad allowlist entry', () => {
    expect(allowEntryProblem('127.0.0.1:9000')).toBeNull();
    expect(allowEntryProblem('10.0.0.0/8')).toBeNull();
    expect(allowEntryProblem('fd00::/8')).toBeNull();
    expect(allowEntryProblem('hooks.internal:443')).toBeNull();
    expect(allowEntryProblem('[::1]:8080')).toBeNull();
    expect(allowEntryProblem('hooks.internal')).toMatch(/needs a port/);
    expect(allowEntryProblem('127.0.0.1:99999')).toMatch(/port/);
    expect(allowEntryProblem('10.0.0.0/40')).toMatch(/CIDR/);
    expect(allowEntryProblem('')).toMatch(/empty/);
    expect(() => checkOutboundUrl({ allowPrivate: false, allow: ['nope'] }, 'http://x/')).toThrow(
      /"nope": a host name needs a port/,
    );
  });
});
