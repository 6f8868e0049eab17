/**
 * SSRF guard for image downloads: image URLs come from users and from proxies we do not control,
 * so a URL must not make the bot fetch from its own network (metadata services, admin panels,
 * the Redis port…). Addresses are classified after DNS resolution, for every redirect hop;
 * ipaddr.js knows the ranges, and every IPv6 form that carries an IPv4 address is judged by that
 * IPv4 address (so a DNS64 network still reaches public hosts, and 127.0.0.1 hides nowhere).
 */
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

const v4 = (hi: number, lo: number): IPv4 => new ipaddr.IPv4([hi >>> 8, hi & 0xff, lo >>> 8, lo & 0xff]);

/**
 * The IPv4 addresses an IPv6 address carries: IPv4-mapped (::ffff:a.b.c.d), IPv4-translated
 * (::ffff:0:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96), 6to4 (2002::/16) and
 * Teredo (2001::/32: the server, and the client obfuscated by XOR). `undefined` when it carries none.
 */
function embeddedV4(addr: IPv6): IPv4[] | undefined {
  const p = addr.parts;
  const [p0 = 0, p1 = 0, p2 = 0, p3 = 0, p4 = 0, p5 = 0, p6 = 0, p7 = 0] = p;
  const zero5 = p0 === 0 && p1 === 0 && p2 === 0 && p3 === 0 && p4 === 0;
  if (zero5 && (p5 === 0xffff || p5 === 0)) return [v4(p6, p7)]; // mapped, compatible (incl. :: and ::1)
  if (p0 === 0 && p1 === 0 && p2 === 0 && p3 === 0 && p4 === 0xffff && p5 === 0) return [v4(p6, p7)]; // translated
  if (p0 === 0x64 && p1 === 0xff9b && p2 === 0 && p3 === 0 && p4 === 0 && p5 === 0) return [v4(p6, p7)]; // NAT64 well-known prefix
  if (p0 === 0x2002) return [v4(p1, p2)]; // 6to4
  if (p0 === 0x2001 && p1 === 0) return [v4(p2, p3), v4(p6 ^ 0xffff, p7 ^ 0xffff)]; // Teredo server, client
  return undefined;
}

function isPrivateV4(addr: IPv4): boolean {
  return addr.range() !== 'unicast';
}

function isPrivateV6(addr: IPv6): boolean {
  const carried = embeddedV4(addr);
  if (carried) return carried.some(isPrivateV4);
  // 64:ff9b:1::/48 is local-use NAT64 (RFC 8215): a translator of this network, never public.
  if (addr.parts[0] === 0x64 && addr.parts[1] === 0xff9b && addr.parts[2] === 1) return true;
  return addr.range() !== 'unicast';
}

/**
 * True for loopback, private, link-local, CGNAT, unique-local, multicast, reserved, documentation
 * and unspecified addresses, IPv4 or IPv6, including every IPv4-embedding IPv6 form. Anything that
 * is not an IP literal counts as private (fail closed).
 */
export function isPrivateAddress(ip: string): boolean {
  const bare = (ip.replace(/^\[|\]$/g, '').split('%')[0] ?? '').trim();
  if (!ipaddr.isValid(bare)) return true;
  const addr = ipaddr.parse(bare);
  return addr.kind() === 'ipv4' ? isPrivateV4(addr as IPv4) : isPrivateV6(addr as IPv6);
}

/** `scheme://host:port` with the port always written (the scheme's default when the URL has none). */
export function originKey(url: URL | string): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  const port = u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');
  return `${u.protocol}//${u.hostname.toLowerCase()}:${port}`;
}

/**
 * May `url` be fetched although its address is private? Only when scheme, host and effective port
 * all match an allowed origin (e.g. the configured proxy itself): a host alone would open every
 * other port of it (its Redis, its admin panel).
 */
export function isAllowedOrigin(url: URL, allowOrigins: readonly string[] = []): boolean {
  const wanted = originKey(url);
  return allowOrigins.some((entry) => {
    try {
      return originKey(entry) === wanted;
    } catch {
      return false;
    }
  });
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolve `hostname` (an IP literal resolves to itself). */
export async function resolveHost(hostname: string): Promise<ResolvedAddress[]> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(bare)) return [{ address: bare, family: ipaddr.parse(bare).kind() === 'ipv6' ? 6 : 4 }];
  const found = await lookup(bare, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}
