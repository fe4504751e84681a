import { describe, expect, it } from 'vitest';
import { clientKey, isObviouslyPrivate, isPublicAddress } from '../../src/domain/network.js';

describe('where a notification sink may lead', () => {
  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '93.184.216.34',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:1.1.1.1',
  ])('public: %s', (address) => expect(isPublicAddress(address)).toBe(true));

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '64:ff9b::7f00:1',
    '64:ff9b:1::a00:1',
    '2002:7f00:1::1',
    '2001:0:4136:e378::1',
    'ff02::1',
    'not an address',
  ])('not public: %s', (address) => expect(isPublicAddress(address)).toBe(false));

  it('refuses localhost and literal private hosts before any DNS', () => {
    for (const host of ['localhost', 'a.localhost', '127.0.0.1', '[::1]', '[::ffff:10.0.0.1]'])
      expect(isObviouslyPrivate(host), host).toBe(true);
    for (const host of ['example.com', '1.1.1.1', '[2606:4700:4700::1111]'])
      expect(isObviouslyPrivate(host), host).toBe(false);
  });
});

describe('whom a brake counts', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['unknown', 'unknown'],
  ])('%s → %s', (address, key) => expect(clientKey(address)).toBe(key));
});
