/** Access control, quotas and fair per-chat scheduling (the production JobGate). */
export { AccessGate, createAccessGate } from './gate.js';
export type { AccessGateConfig, AccessGateDeps, AccessStats, ChatQueueView, UserUsage, WaitingJob } from './gate.js';
export { isAllowed, isBotAdmin } from './policy.js';
export { parseUserKey, scopeOf, userKeyOf } from './keys.js';
export type { RunningSlot } from '../domain/access-types.js';
export type { DayStats } from './usage.js';
export { FairQueue } from './fair-queue.js';
export { formatChatQueue, formatRunning, formatStats } from './format.js';
