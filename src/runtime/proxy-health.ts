/**
 * Is the MJ proxy usable? Every answer the bot's clients get says yes; a request that got no
 * answer, a 5xx or a rejected key says no. While it is down a quiet probe (one cheap request that
 * creates nothing, docs/protocol.md#flavour-detection) asks again every `retryMs`, so /healthz
 * turns green by itself once the proxy is back, even when nobody uses the bot.
 */
import { MjError } from '../errors.js';
import type { Logger } from '../log.js';
import { PROBE_TASK_ID } from '../mj/probe.js';
import { proxyFailure, proxyTrouble, seconds, STARTUP_TIMEOUTS, withTimeout, type ProxySettings } from '../startup.js';
import type { HealthCheck, MjPort } from '../core/domain/ports.js';

export interface ProxyHealth {
  /** One probe: resolves once the proxy answered (and marks it up); throws the probe's error, logging nothing. */
  probe(): Promise<void>;
  /**
   * The start-up check: a rejected key (or, while detecting the flavour, a server that is no MJ
   * proxy) throws the StartupError; no answer is one warning and the retry loop (`down`).
   */
  checkAtStart(settings: ProxySettings): Promise<void>;
  /** The proxy is down: log it once per outage and probe every `retryMs` until it answers. */
  down(reason: string): void;
  /** Every exchange of the bot's clients (status 0 = no answer). */
  observe(status: number, errorCode?: string): void;
  /** /healthz: up since the last answer. */
  readonly check: HealthCheck;
  close(): void;
}

export interface ProxyHealthOptions {
  /** A client of its own (quiet, no retries, short timeout): probes must not fill the log. */
  client: Pick<MjPort, 'capabilities' | 'fetch'>;
  /** MJ_FLAVOUR=auto: the first successful probe also detects the flavour. */
  detecting: boolean;
  /** host[:port] of the proxy, for the log. */
  where: string;
  retryMs: number;
  logger: Logger;
}

/** Errors that mean the proxy did not really answer (or will not serve us). */
const NOT_ANSWERED = new Set(['MJ_NETWORK', 'MJ_SERVER_ERROR', 'MJ_AUTH_FAILED']);

export function createProxyHealth(opts: ProxyHealthOptions): ProxyHealth {
  const { logger, where } = opts;
  let state: 'unknown' | 'up' | 'down' = 'unknown';
  let detected = !opts.detecting;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const up = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (state === 'down') logger.info({ proxy: where }, 'MJ proxy answers again');
    state = 'up';
  };

  const probe = async (): Promise<void> => {
    if (!detected) {
      await opts.client.capabilities();
      detected = true;
    } else {
      // An impossible task id: "not found" in whatever shape this proxy says it is an answer.
      await opts.client.fetch(PROBE_TASK_ID).catch((err: unknown) => {
        if (!(err instanceof MjError) || NOT_ANSWERED.has(err.code)) throw err;
      });
    }
    up();
  };

  const schedule = (): void => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (state === 'down') probe().catch(schedule);
    }, opts.retryMs);
    timer.unref();
  };

  const down = (reason: string): void => {
    if (state !== 'down') {
      logger.warn({ proxy: where, reason }, `MJ proxy at ${where} cannot be used (${reason}): users are told it cannot be reached; checking again every ${opts.retryMs} ms`);
    }
    state = 'down';
    schedule();
  };

  const checkAtStart = async (settings: ProxySettings, limitMs: number = STARTUP_TIMEOUTS.proxyMs): Promise<void> => {
    try {
      await withTimeout(() => probe(), limitMs, () => new MjError('MJ_NETWORK', `no answer within ${seconds(limitMs)}`));
    } catch (err) {
      const fatal = proxyFailure(err, settings);
      if (fatal) throw fatal;
      down(proxyTrouble(err));
    }
  };

  return {
    probe,
    checkAtStart,
    down,
    observe(status, errorCode) {
      if (status === 0) down('no answer');
      else if (errorCode === 'MJ_AUTH_FAILED' || status >= 500) down(`HTTP ${status}`);
      else up();
    },
    check: () => state === 'up',
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}
