/**
 * Test helper: an undici MockAgent standing in for the proxy (net connect disabled), recording
 * every request the client sends (method, path, headers, JSON body).
 */
import { MockAgent, type Interceptable } from 'undici';
import { MjClient, type MjClientOptions } from '../../src/mj/client.js';

export const ORIGIN = 'http://mj.test';

export interface SentRequest { method: string; path: string; headers: Record<string, string>; body: unknown }

export interface MockProxy {
  agent: MockAgent;
  pool: Interceptable;
  sent: SentRequest[];
  /** Replies `status`/`body` to `method path` (`times` times, default once), recording the request. */
  on(method: string, path: string, status: number, body?: unknown, headers?: Record<string, string>, times?: number): void;
  client(opts?: Partial<MjClientOptions>): MjClient;
  close(): Promise<void>;
}

function normaliseHeaders(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) out[String(raw[i]).toLowerCase()] = String(raw[i + 1]);
  } else if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) out[k.toLowerCase()] = String(v);
  }
  return out;
}

export function mockProxy(): MockProxy {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(ORIGIN);
  const sent: SentRequest[] = [];
  const clients: MjClient[] = [];
  return {
    agent, pool, sent,
    on(method, path, status, body, headers = {}, times = 1) {
      pool.intercept({ method, path }).reply((opts) => {
        const text = typeof opts.body === 'string' ? opts.body : undefined;
        sent.push({ method: opts.method, path: opts.path, headers: normaliseHeaders(opts.headers), body: text ? JSON.parse(text) : undefined });
        const data = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
        return { statusCode: status, data, responseOptions: { headers } };
      }).times(times);
    },
    client(opts = {}) {
      const c = new MjClient({ baseUrl: ORIGIN, apiKey: 'sk-test-secret-0001', flavour: 'plus', dispatcher: agent, retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 5 }, ...opts });
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await agent.close();
    },
  };
}
