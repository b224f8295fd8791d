/**
 * The client network a per-IP limit counts: an IPv4 address as it is, an
 * IPv6 address by its /64 (one subscriber's or one host's prefix: a single
 * machine can use every address in it, so counting exact IPv6 addresses
 * gives a caller unlimited fresh quotas), and an IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.1`, as a dual-stack socket reports an IPv4 client) as the
 * IPv4 address it carries.
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Bits of an IPv6 address that name one client network. */
export const IPV6_NETWORK_BITS = 64;

/**
 * The network a client address belongs to, for rate-limit keys: `192.0.2.1`,
 * or `2001:db8:1:2::/64`. Anything that is not an IP address (a test's
 * placeholder, a proxy's garbage) is kept as given, so it still counts on its own.
 *
 * @example clientNetwork('2001:db8:1:2:aaaa::1') // '2001:db8:1:2::/64'
 * @example clientNetwork('::ffff:198.51.100.7') // '198.51.100.7'
 */
export function clientNetwork(ip: string): string;
export function clientNetwork(ip: string | null): string | null;
export function clientNetwork(ip: string | null): string | null {
  if (ip === null) return null;
  // A zone index (`fe80::1%eth0`) names the interface, not another network.
  const bare = ip.replace(/%.*$/, '');
  // node:net's check: ipaddr.js alone would also read `1` or `0x7f.1` as IPv4.
  if (isIP(bare) === 0) return ip;
  const address = ipaddr.parse(bare);
  if (address.kind() === 'ipv4') return address.toString();
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  const parts = v6.parts.slice(0, IPV6_NETWORK_BITS / 16).concat([0, 0, 0, 0]);
  return `${new ipaddr.IPv6(parts).toString()}/${IPV6_NETWORK_BITS}`;
}
