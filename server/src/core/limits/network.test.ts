import { describe, expect, it } from 'vitest';
import { limitKeyOf } from '../../model/identifier.ts';
import { clientNetwork } from './network.ts';

describe('clientNetwork', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2::FFFF', '2001:db8:1:2::/64'],
    ['2001:db8:1:3::1', '2001:db8:1:3::/64'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['::ffff:c633:6407', '198.51.100.7'],
    ['fe80::1%eth0', 'fe80::/64'],
    ['::1', '::/64'],
    // Not an address: counted as given, on its own.
    ['unknown', 'unknown'],
    ['1', '1'],
  ])('%s counts as %s', (ip, network) => {
    expect(clientNetwork(ip)).toBe(network);
  });

  it('keeps no address as none', () => {
    expect(clientNetwork(null)).toBeNull();
  });
});

describe('limitKeyOf', () => {
  it.each([
    ['919876543210', '919876543210'],
    ['jane.doe@gmail.com', 'janedoe@gmail.com'],
    ['Jane.Doe+shop@GoogleMail.com', 'janedoe@gmail.com'],
    ['j.a.n.e.d.o.e+a+b@gmail.com', 'janedoe@gmail.com'],
    ['ann+news@example.org', 'ann@example.org'],
    // Dots matter outside Gmail.
    ['a.nn@example.org', 'a.nn@example.org'],
    ['ANN@Example.ORG', 'ann@example.org'],
    // A local part that is all tag keeps its `+`.
    ['+tag@example.org', '+tag@example.org'],
  ])('%s is counted as %s', (identifier, key) => {
    expect(limitKeyOf(identifier)).toBe(key);
  });
});
