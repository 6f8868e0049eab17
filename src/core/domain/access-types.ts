/** The shapes access control reports (/queue, /admin): plain data, shared by the gate and the service. */

/** A job holding one of a chat's drawing slots (admitted, submitted, not finished). */
export interface RunningSlot {
  slotId: string;
  /** Where the chat cap applies (see `scopeOf`). */
  scope: string;
  /** `platform:chatId` of the chat the job came from. */
  chat: string;
  /** `platform:userId`. */
  user: string;
  name: string;
  /** Short description of the job (prompt, "blend", "U1 · prompt"). */
  what: string;
  /** Set once the proxy accepted the job. */
  taskId?: string;
  since: number;
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

export interface UserDayUsage {
  name: string;
  submitted: number;
  successes: number;
}

export interface DayStats {
  submitted: number;
  successes: number;
  failures: number;
  /** Submits the proxy refused (no task was created). */
  refused: number;
  users: Record<string, UserDayUsage>;
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
