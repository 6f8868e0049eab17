import { thrownBotError } from '../helpers/errors.js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { imageToDataUrl } from '../../src/core/domain/images/data-url.js';
import { parseDataUrl, sniffImage, toDataUrl } from '../../src/core/domain/images/sniff.js';
import { isAllowedOrigin, isPrivateAddress } from '../../src/runtime/images/ssrf.js';

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

function png(width: number, height: number): Buffer {
  return PNG.sync.write(new PNG({ width, height }));
}

/** Baseline JPEG: SOI, APP0 (JFIF), a DQT stub, SOF0 with the frame size, EOI. */
function jpeg(width: number, height: number, sof = 0xc0, fill = false): Uint8Array {
  return Uint8Array.from([
    0xff, 0xd8,
    0xff, 0xe0, 0x00, 0x10, ...ascii('JFIF'), 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
    0xff, 0xdb, 0x00, 0x04, 0x00, 0x00,
    ...(fill ? [0xff, 0xff] : []),
    0xff, sof, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
    0xff, 0xd9,
  ]);
}

function riff(chunk: string, data: number[]): Uint8Array {
  const body = [...ascii('WEBP'), ...ascii(chunk), data.length, 0, 0, 0, ...data];
  return Uint8Array.from([...ascii('RIFF'), body.length & 0xff, (body.length >> 8) & 0xff, 0, 0, ...body]);
}

const le16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
const le24 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff];

function webpLossy(width: number, height: number): Uint8Array {
  return riff('VP8 ', [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, ...le16(width), ...le16(height), 0, 0]);
}

function webpLossless(width: number, height: number): Uint8Array {
  const bits = (width - 1) | ((height - 1) << 14);
  return riff('VP8L', [0x2f, bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff, (bits >>> 24) & 0xff, 0, 0, 0]);
}

function webpExtended(width: number, height: number): Uint8Array {
  return riff('VP8X', [0x10, 0, 0, 0, ...le24(width - 1), ...le24(height - 1)]);
}

function gif(width: number, height: number, version = 'GIF89a'): Uint8Array {
  return Uint8Array.from([...ascii(version), ...le16(width), ...le16(height), 0x00, 0x00, 0x00, 0x3b]);
}

describe('sniffImage', () => {
  it.each([
    ['PNG', png(7, 5), 'image/png', 'png', 7, 5],
    ['baseline JPEG', jpeg(640, 480), 'image/jpeg', 'jpg', 640, 480],
    ['progressive JPEG with fill bytes', jpeg(1024, 768, 0xc2, true), 'image/jpeg', 'jpg', 1024, 768],
    ['lossy WebP', webpLossy(300, 200), 'image/webp', 'webp', 300, 200],
    ['lossless WebP', webpLossless(1000, 16383), 'image/webp', 'webp', 1000, 16383],
    ['extended WebP', webpExtended(4096, 2048), 'image/webp', 'webp', 4096, 2048],
    ['GIF89a', gif(32, 16), 'image/gif', 'gif', 32, 16],
    ['GIF87a', gif(1, 2, 'GIF87a'), 'image/gif', 'gif', 1, 2],
  ] as const)('recognises a %s and reads its pixel size from the header', (_name, bytes, mime, ext, width, height) => {
    expect(sniffImage(bytes)).toEqual({ mime, ext, width, height });
  });

  it('does not take a JPEG DHT marker (C4) for a frame header', () => {
    const bytes = jpeg(50, 40);
    const withDht = Uint8Array.from([...bytes.subarray(0, 2), 0xff, 0xc4, 0x00, 0x06, 0x00, 0x09, 0x09, 0x09, ...bytes.subarray(2)]);
    expect(sniffImage(withDht)).toMatchObject({ width: 50, height: 40 });
  });

  it('keeps the type but reports no size for a truncated header', () => {
    expect(sniffImage(png(3, 3).subarray(0, 10))).toEqual({ mime: 'image/png', ext: 'png' });
    expect(sniffImage(riff('VP8 ', [0x30]))).toEqual({ mime: 'image/webp', ext: 'webp' });
  });

  it('rejects files that only look like images by name or start', () => {
    expect(sniffImage(Buffer.from('%PDF-1.7\n…'))).toBeUndefined();
    expect(sniffImage(Buffer.from('<html><body>not found</body></html>'))).toBeUndefined();
    expect(sniffImage(Uint8Array.from([...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WAVE')]))).toBeUndefined();
    expect(sniffImage(new Uint8Array())).toBeUndefined();
  });
});

describe('data URLs', () => {
  it('round-trips bytes through toDataUrl and parseDataUrl', () => {
    const bytes = png(4, 4);
    const url = toDataUrl(bytes, 'image/png');
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    const parsed = parseDataUrl(url);
    expect(parsed?.mime).toBe('image/png');
    expect(Buffer.compare(parsed?.bytes ?? Buffer.alloc(0), bytes)).toBe(0);
  });

  it('accepts parameters before ;base64 and rejects non-data or non-base64 URLs', () => {
    expect(parseDataUrl('data:image/jpeg;name=a.jpg;base64,/9j/4A==')?.bytes).toEqual(Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    expect(parseDataUrl('https://example.com/a.png')).toBeUndefined();
    expect(parseDataUrl('data:image/png,rawtext')).toBeUndefined();
    expect(parseDataUrl('data:image/png;base64,@@@')).toBeUndefined();
  });
});

describe('imageToDataUrl', () => {
  it('labels a chat attachment by its real content, whatever it was called', () => {
    const url = imageToDataUrl(jpeg(20, 10), { maxBytes: 1024 });
    expect(url.startsWith('data:image/jpeg;base64,')).toBe(true);
    expect(sniffImage(parseDataUrl(url)?.bytes ?? new Uint8Array())?.width).toBe(20);
  });

  it('refuses an attachment over the limit, telling the user the limit in MB', () => {
    const err = thrownBotError(() => imageToDataUrl(Buffer.concat([png(2, 2), Buffer.alloc(3 * 1024 * 1024)]), { maxBytes: 2.5 * 1024 * 1024 }));
    expect(err.code).toBe('IMAGE_TOO_LARGE');
    expect(err.context.maxMb).toBe(2.5);
  });

  it('refuses something that is not a PNG, JPEG, WebP or GIF', () => {
    expect(thrownBotError(() => imageToDataUrl(Buffer.from('BM fake bitmap'), { maxBytes: 1024 })).code).toBe('IMAGE_INVALID');
  });
});

describe('SSRF address classification', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
    '0.0.0.0', '224.0.0.1', '255.255.255.255', '::', '::1', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd12:3456::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::127.0.0.1', '64:ff9b::a9fe:a9fe', '2002:c0a8:0101::1', 'not-an-ip',
    // Every IPv4-embedding IPv6 form: local-use NAT64, Teredo (server or obfuscated client), IPv4-translated.
    '64:ff9b:1::a9fe:a9fe', '64:ff9b:1::808:808', '2001:0:a00:1::1', '2001:0:4136:e378:8000:63bf:80ff:fffe', '::ffff:0:7f00:1', '::ffff:0:a9fe:a9fe',
    // Documentation, benchmarking, reserved.
    '192.0.2.1', '198.18.0.1', '240.0.0.1', '2001:db8::1',
  ])('treats %s as private', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '162.159.128.233', '2606:4700::6810:85e5', '::ffff:8.8.8.8', '2a00:1450:4001::200e', '64:ff9b::808:808', '2002:808:808::1', '2001:0:4136:e378:8000:63bf:f7f7:f7f7'])(
    'treats %s as public',
    (ip) => {
      expect(isPrivateAddress(ip)).toBe(false);
    },
  );

  it('matches allowed origins by scheme, host and effective port', () => {
    expect(isAllowedOrigin(new URL('http://127.0.0.1:8080/x'), ['http://127.0.0.1:8080'])).toBe(true);
    expect(isAllowedOrigin(new URL('http://127.0.0.1:8081/x'), ['http://127.0.0.1:8080'])).toBe(false);
    expect(isAllowedOrigin(new URL('http://Sim.Local:9/x'), ['http://sim.local:9'])).toBe(true);
    expect(isAllowedOrigin(new URL('https://proxy.lan/x'), ['https://proxy.lan:443'])).toBe(true);
    expect(isAllowedOrigin(new URL('http://[::1]:3000/x'), ['http://[::1]:3000'])).toBe(true);
    // MJ_BASE_URL=http://proxy.internal (default port) allows port 80 of that host only.
    expect(isAllowedOrigin(new URL('http://proxy.internal/img.png'), ['http://proxy.internal'])).toBe(true);
    expect(isAllowedOrigin(new URL('http://proxy.internal:6379/'), ['http://proxy.internal'])).toBe(false);
    expect(isAllowedOrigin(new URL('https://proxy.internal/img.png'), ['http://proxy.internal'])).toBe(false);
    expect(isAllowedOrigin(new URL('http://proxy.internal/x'), ['not a url'])).toBe(false);
  });
});

