import { BlockList, isIP } from 'node:net';

/**
 * Where a merchant's notification sink may never lead: the gateway's own machine and networks,
 * and the IPv6 forms that carry an IPv4 address inside (mapped, NAT64, 6to4, Teredo), through
 * which a private IPv4 address could be reached.
 *
 * IPv4 and IPv6 rules live in lists of their own: one BlockList holding both matches IPv4
 * addresses against IPv6 rules as mapped addresses, so `::ffff:0:0/96` would refuse every IPv4.
 */
const PRIVATE_V4 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE_V4.addSubnet(net, prefix, 'ipv4');
}

const PRIVATE_V6 = new BlockList();
for (const [net, prefix] of [
  ['::', 127], // unspecified and loopback
  ['::ffff:0:0', 96], // IPv4-mapped: checked as IPv4 below, never passed as such
  ['64:ff9b::', 96], // NAT64, well-known prefix
  ['64:ff9b:1::', 48], // NAT64, local use
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  PRIVATE_V6.addSubnet(net, prefix, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`), if it is one. */
function mappedIpv4(address: string): string | undefined {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match?.[1];
}

/** Whether an IP address (either family) is on the public internet, where sinks may be. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !PRIVATE_V4.check(address, 'ipv4');
  if (family !== 6) return false;
  const inner = mappedIpv4(address);
  if (inner) return !PRIVATE_V4.check(inner, 'ipv4');
  return !PRIVATE_V6.check(address, 'ipv6');
}

/** A host that is obviously internal without asking DNS: localhost, or a literal address that is not public. */
export function isObviouslyPrivate(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isIP(host) !== 0 && !isPublicAddress(host);
}

/**
 * Whom a brake counts an address against: an IPv4 address (mapped forms unwrapped) as it is, an
 * IPv6 address by its /64, since one subscriber commonly holds a whole /64 and could otherwise
 * take a fresh address for every guess.
 */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
