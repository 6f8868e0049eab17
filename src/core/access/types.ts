/** Public shapes of the access gate (config it needs, what /queue and /admin read). */
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../runtime/store.js';
import type { AccessConfig } from './policy.js';
import type { RunningSlot } from './running.js';
import type { DayStats } from './usage.js';

export type AccessGateConfig = AccessConfig & Pick<Config, 'DAILY_QUOTA' | 'USER_MAX_RUNNING' | 'CHAT_MAX_RUNNING' | 'MJ_TASK_TIMEOUT_MS'>;

export interface AccessGateDeps {
  config: AccessGateConfig;
  store: Store;
  logger: Logger;
  now?: () => number;
}

/** A job waiting for a slot in a chat, in admission order (`position` 1 = next). */
export interface WaitingJob {
  user: string;
  name: string;
  what: string;
  position: number;
}

export interface ChatQueueView {
  max: number;
  running: RunningSlot[];
  waiting: WaitingJob[];
}

export interface AccessStats extends DayStats {
  day: string;
  running: number;
  waiting: number;
  /** Most successful users today (at most 10). */
  top: { user: string; name: string; successes: number }[];
}

export interface UserUsage {
  /** Successes today. */
  used: number;
  extra: number;
  /** Waiting or drawing now. */
  inFlight: number;
  /** DAILY_QUOTA + extra; undefined = unlimited. */
  limit?: number;
  blocked: boolean;
}

