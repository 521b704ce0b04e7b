import { describe, expect, it } from 'vitest';
import { classifyAddress, formatIp, inCidr, parseCidr, parseIp } from './ip-ranges.ts';

const classify = (text: string) => {
  const bytes = parseIp(text);
  if (!bytes) throw new Error(`not an address: ${text}`);
  return classifyAddress(bytes)?.category ?? 'public';
};

describe('special address ranges', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['fc00::1', 'private'],
    ['fd00:ec2::254', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['2001:db8::1', 'documentation'],
    // IPv4 inside IPv6: mapped, NAT64 and 6to4 are judged by the IPv4 address they carry.
    ['::ffff:127.0.0.2', 'loopback'],
    ['::ffff:7f00:2', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['::127.0.0.1', 'reserved'],
  ])('%s is %s', (address, category) => {
    expect(classify(address)).toBe(category);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(classify(address)).toBe('public');
    },
  );

  it('formats addresses canonically, with mapped IPv4 as a dotted quad', () => {
    expect(formatIp(parseIp('::ffff:7f00:2')!)).toBe('127.0.0.2');
    expect(formatIp(parseIp('[FD00:0EC2:0:0:0:0:0:0254]')!)).toBe('fd00:ec2::254');
    expect(formatIp(parseIp('::1')!)).toBe('::1');
    expect(formatIp(parseIp('2001:db8:0:1:0:0:0:1')!)).toBe('2001:db8:0:1::1');
  });

  it('matches CIDR ranges in both families and rejects malformed ones', () => {
    const net = parseCidr('10.0.0.0/8')!;
    expect(inCidr(parseIp('10.200.1.1')!, net)).toBe(true);
    expect(inCidr(parseIp('11.0.0.1')!, net)).toBe(false);
    expect(inCidr(parseIp('::ffff:10.1.1.1')!, net)).toBe(true);
    expect(inCidr(parseIp('fd12::1')!, parseCidr('fd00::/8')!)).toBe(true);
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr('fd00::/129')).toBeNull();
    expect(parseCidr('example.com/8')).toBeNull();
  });
});
