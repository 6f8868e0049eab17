/** The start-up line itself: one line, never a secret or a payload, whatever was thrown. */
import { describe, expect, it } from 'vitest';
import { ConfigError, MjError, StartupError } from '../../src/errors.js';
import { proxyFailure, startupLine } from '../../src/startup.js';

const SECRET = 'derived-webhook-secret-0123456789';

describe('startupLine', () => {
  it('prints a StartupError as it is and flattens a configuration error into one line', () => {
    expect(startupLine(new StartupError('HTTP_PORT', 'HTTP_PORT 80 is already in use'), [])).toBe('HTTP_PORT 80 is already in use');
    expect(startupLine(new ConfigError('Invalid configuration:\n  HTTP_PORT: must be a number\n  LOG_LEVEL: must be one of a, b'), [])).toBe(
      'Invalid configuration: HTTP_PORT: must be a number; LOG_LEVEL: must be one of a, b',
    );
  });

  it('shows only the first line of an unexpected error, scrubbed, never its other fields', () => {
    const err = Object.assign(new Error(`Call to 'setWebhook' failed with ${SECRET}\nat somewhere`), { payload: { secret_token: 'payload-secret-987654321' } });
    const line = startupLine(err, [SECRET]);
    expect(line).toBe("start-up failed: Error: Call to 'setWebhook' failed with [secret]");
    expect(startupLine('a thrown string', [])).toMatch(/^start-up failed for an unknown reason/);
    expect(startupLine(new Error('x'.repeat(1000)), []).length).toBeLessThanOrEqual(300);
  });
});

describe('proxyFailure', () => {
  const proxy = { baseUrl: 'https://user:pass@mj.example:8443/prefix', hasKey: true, authHeader: 'mj-api-secret', detecting: false };
  const auth = new MjError('MJ_AUTH_FAILED', 'GET /mj/task/0/fetch: HTTP 401', { status: 401, endpoint: 'GET /mj/task/0/fetch' });

  it('stops the start for a rejected key, naming the host but not the URL’s credentials', () => {
    const line = proxyFailure(auth, proxy)?.message ?? '';
    expect(line).toMatch(/^MJ_API_KEY was rejected by the MJ proxy at mj\.example:8443 \(HTTP 401\)/);
    expect(line).not.toContain('pass');
  });

  it('lets the bot start when the proxy merely cannot be reached or fails', () => {
    expect(proxyFailure(new MjError('MJ_NETWORK', 'no answer'), proxy)).toBeUndefined();
    expect(proxyFailure(new MjError('MJ_SERVER_ERROR', 'HTTP 502', { status: 502 }), proxy)).toBeUndefined();
    // Without detection, an odd answer is still an answer: the proxy is there.
    expect(proxyFailure(new MjError('MJ_BAD_RESPONSE', 'odd', { status: 404 }), proxy)).toBeUndefined();
    expect(proxyFailure(new MjError('MJ_BAD_RESPONSE', 'odd', { status: 404 }), { ...proxy, detecting: true })?.setting).toBe('MJ_BASE_URL');
  });
});
