/** The refusal rules of `check`, applied to numbers the gate has read (pure; throws BotError). */
import { BotError } from '../../errors.js';
import { t } from '../domain/i18n/index.js';
import type { Locale, Origin } from '../domain/types.js';
import { nextResetAt } from './keys.js';
import { isAllowed } from './policy.js';
import type { AccessGateConfig } from './types.js';

export interface LimitFacts {
  config: AccessGateConfig;
  origin: Origin;
  locale: Locale;
  blocked: boolean;
  /** The user's jobs waiting or holding a slot. */
  inFlight: number;
  /** Successes today. */
  used: number;
  extra: number;
  now: number;
}

/**
 * Blocked or not allowlisted → FORBIDDEN; too many jobs in flight or the daily quota reached
 * (successes today plus jobs still in flight, against DAILY_QUOTA + extra) → QUOTA_EXCEEDED
 * with a localized detail that says when the quota resets.
 */
export function refuseIfLimited(f: LimitFacts): void {
  const { config, locale } = f;
  if (f.blocked) throw new BotError('FORBIDDEN', 'user is blocked', { detail: t(locale, 'access.blocked') });
  if (!isAllowed(config, f.origin)) throw new BotError('FORBIDDEN', 'not on an allowlist', { detail: t(locale, 'access.notAllowed') });
  if (f.inFlight >= config.USER_MAX_RUNNING) {
    throw new BotError('QUOTA_EXCEEDED', 'too many jobs in flight', { detail: t(locale, 'access.userCap', { n: f.inFlight, max: config.USER_MAX_RUNNING }) });
  }
  if (config.DAILY_QUOTA <= 0) return;
  const limit = config.DAILY_QUOTA + f.extra;
  if (f.used + f.inFlight < limit) return;
  const reset = nextResetAt(f.now);
  const minutes = Math.max(1, Math.ceil((reset - f.now) / 60_000));
  const inText = minutes >= 60 ? t(locale, 'access.inHm', { h: Math.floor(minutes / 60), m: minutes % 60 }) : t(locale, 'access.inM', { m: minutes });
  const resetAt = `${new Date(reset).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  throw new BotError('QUOTA_EXCEEDED', 'daily quota used', { detail: t(locale, 'access.quotaDaily', { limit, resetAt, in: inText }) });
}
