/** The config and dependencies of the access gate; the shapes it reports live in the domain. */
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import type { Store } from '../domain/ports.js';
import type { AccessConfig } from './policy.js';

export type { AccessStats, ChatQueueView, UserUsage, WaitingJob } from '../domain/access-types.js';

export type AccessGateConfig = AccessConfig & Pick<Config, 'DAILY_QUOTA' | 'USER_MAX_RUNNING' | 'CHAT_MAX_RUNNING' | 'MJ_TASK_TIMEOUT_MS'>;

export interface AccessGateDeps {
  config: AccessGateConfig;
  store: Store;
  logger: Logger;
  now?: () => number;
  /** How often the stored lines are looked at (default 500 ms). */
  recheckMs?: number;
  /** How long a stopped process's jobs wait before another takes them over (default 5 s). */
  aliveTtlMs?: number;
}
