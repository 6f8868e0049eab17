/**
 * Readiness checks behind /healthz: the bot is ready only when every registered dependency
 * (store, connected platforms) answers. A check that throws or hangs counts as failing, so a
 * stuck backend turns /healthz 503 instead of hanging the load balancer's probe.
 */
import { randomUUID } from 'node:crypto';
import type { HealthCheck, Store } from '../core/domain/ports.js';

export type { HealthCheck };

/** Body of /healthz: `failing` lists the names of the checks that did not pass. */
export interface HealthReport {
  ok: boolean;
  checks: Record<string, boolean>;
  failing?: string[];
  [key: string]: unknown;
}

export interface Health {
  /** Add (or replace) a named check. */
  register(name: string, check: HealthCheck): void;
  unregister(name: string): void;
  /** Run every check at once; never throws. Pass it as HttpServer's `health` option. */
  run(): Promise<HealthReport>;
}

async function passes(check: HealthCheck, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref?.();
  });
  try {
    return (await Promise.race([Promise.resolve().then(check), timeout])) === true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** A registry of readiness checks; each must pass within `timeoutMs` (default 3000). */
export function createHealth(opts: { timeoutMs?: number } = {}): Health {
  const checks = new Map<string, HealthCheck>();
  const timeoutMs = opts.timeoutMs ?? 3000;
  return {
    register: (name, check) => void checks.set(name, check),
    unregister: (name) => void checks.delete(name),
    async run() {
      const entries = [...checks.entries()];
      const results = await Promise.all(entries.map(async ([name, check]) => [name, await passes(check, timeoutMs)] as const));
      const report: HealthReport = { ok: results.every(([, ok]) => ok), checks: Object.fromEntries(results) };
      const failing = results.filter(([, ok]) => !ok).map(([name]) => name);
      if (failing.length) report.failing = failing;
      return report;
    },
  };
}

/** Store readiness: a real round trip (write a fresh value to `meta`, read it back, remove it). */
export function storeCheck(store: Store): HealthCheck {
  return async () => {
    // A key per probe: concurrent probes (several load balancers) must not overwrite each other.
    const key = `healthz:${randomUUID()}`;
    await store.set('meta', key, key, 60_000);
    const ok = (await store.get<string>('meta', key)) === key;
    await store.delete('meta', key);
    return ok;
  };
}
