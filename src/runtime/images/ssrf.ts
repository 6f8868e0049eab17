/**
 * SSRF guard for image downloads: image URLs come from users and from proxies we do not control,
 * so a URL must not make the bot fetch from its own network (metadata services, admin panels,
 * the Redis port…). Addresses are classified after DNS resolution, for every redirect hop.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

type V4Range = readonly [base: string, prefix: number];

/** Not publicly routable IPv4 ranges (RFC 6890 and friends). */
const PRIVATE_V4: readonly V4Range[] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved + broadcast
];

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

function isPrivateV4(ip: string): boolean {
  const value = v4ToInt(ip);
  return PRIVATE_V4.some(([base, prefix]) => {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return ((value & mask) >>> 0) === ((v4ToInt(base) & mask) >>> 0);
  });
}

/** Expand an IPv6 address (optionally with a dotted IPv4 tail) into eight 16-bit groups. */
function v6Groups(ip: string): number[] | undefined {
  // Rewrite a dotted IPv4 tail (::ffff:127.0.0.1) as two hex groups first.
  const text = ip.replace(/(\d+\.\d+\.\d+\.\d+)$/, (v4) => {
    const value = v4ToInt(v4);
    return `${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  });
  const [head = '', rest, extra] = text.split('::');
  if (extra !== undefined) return undefined;
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((h) => parseInt(h, 16)));
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (rest === undefined && missing !== 0)) return undefined;
  const groups = [...left, ...new Array<number>(missing).fill(0), ...right];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function groupsToV4(hi: number, lo: number): string {
  return [hi >>> 8, hi & 0xff, lo >>> 8, lo & 0xff].join('.');
}

function isPrivateV6(ip: string): boolean {
  const g = v6Groups(ip.split('%')[0] ?? ip); // drop a zone id (fe80::1%eth0)
  if (!g) return true; // unparseable: refuse rather than guess
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (zeroPrefix && g5 === 0xffff) return isPrivateV4(groupsToV4(g6, g7)); // IPv4-mapped ::ffff:a.b.c.d
  if (zeroPrefix && g5 === 0) return g6 === 0 ? true : isPrivateV4(groupsToV4(g6, g7)); // ::, ::1, IPv4-compatible
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isPrivateV4(groupsToV4(g6, g7)); // NAT64
  if (g0 === 0x2002) return isPrivateV4(groupsToV4(g1, g2)); // 6to4 embeds an IPv4 address
  if ((g0 & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0) return true; // link-local, old site-local
  if ((g0 & 0xff00) === 0xff00) return true; // multicast
  if (g0 === 0x2001 && g1 === 0x0db8) return true; // documentation
  return false;
}

/**
 * True for loopback, private, link-local, CGNAT, unique-local, multicast, reserved and
 * unspecified addresses, IPv4 or IPv6 (including IPv4-mapped/compatible/NAT64/6to4 forms).
 * Anything that is not an IP literal counts as private (fail closed).
 */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '');
  const family = isIP(bare.split('%')[0] ?? bare);
  if (family === 4) return isPrivateV4(bare);
  if (family === 6) return isPrivateV6(bare);
  return true;
}

/** `allowHosts` entries are `hostname` (any port) or `hostname:port`; IPv6 as `[::1]:port`. */
export function isAllowedHost(url: URL, allowHosts: readonly string[] = []): boolean {
  const hostname = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const candidates = new Set([hostname, `${hostname}:${port}`]);
  return allowHosts.some((entry) => candidates.has(entry.trim().toLowerCase()));
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolve `hostname` (an IP literal resolves to itself). */
export async function resolveHost(hostname: string): Promise<ResolvedAddress[]> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(bare);
  if (literal === 4 || literal === 6) return [{ address: bare, family: literal }];
  const found = await lookup(bare, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}
