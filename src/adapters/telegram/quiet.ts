/**
 * Busy groups. A group's message budget (20 a minute) is too small for a status message per job
 * when many people draw at once, so from `threshold` live jobs on, a new job is acknowledged
 * without a message: a reaction on the user's own command (👀 waiting → ✍ drawing), a line on
 * the group's session board, and its result as a new message replying to the command. Quiet
 * groups and private chats keep a live message per job. The job's ref then names the command
 * message itself, so a reply to it (/cancel, /seed) points at the job.
 */
import type { MessageRef, Origin, TaskView } from '../../core/domain/types.js';
import { SessionBoard } from './board.js';
import type { BudgetClock, Lane } from './budget.js';
import type { Shared } from './context.js';

/** Reactions as Telegram accepts them (its list has "✍" without a variation selector). */
export const REACTION = { waiting: '👀', drawing: '✍' } as const;

export function isQuiet(ref: MessageRef): boolean {
  return ref.platformData?.quiet === true;
}

/** When the job was asked for (on the budget's clock), to serve the longest-waiting first. */
export function sinceOf(ref: MessageRef): number | undefined {
  const since = ref.platformData?.since;
  return typeof since === 'number' ? since : undefined;
}

const keyOf = (ref: MessageRef): string => `${ref.chat.chatId}:${ref.messageId}`;

export class QuietMode {
  /** Jobs opened per group and not finished yet (this process's view), quiet or not. */
  private readonly live = new Map<number, Set<string>>();
  private readonly drawing = new Set<string>();
  /** Reactions of one message in order. */
  private readonly reacting = new Map<string, Promise<unknown>>();
  readonly board: SessionBoard;

  constructor(
    private readonly shared: Shared,
    private readonly clock: BudgetClock,
    private readonly threshold: number,
    boardIntervalMs: number,
    /** Keep each group's board across restarts (not when other processes share the store). */
    rememberBoards: boolean,
  ) {
    this.board = new SessionBoard(shared, clock, boardIntervalMs, (chatId) => this.liveIn(chatId), rememberBoards);
  }

  /** Jobs of a group still waiting for their result (each will need a message of the group's budget). */
  liveIn(chatId: number): number {
    return this.live.get(chatId)?.size ?? 0;
  }

  now(): number {
    return this.clock.now();
  }

  /**
   * Open a job quietly when its group is busy and it answers the user's own command; undefined =
   * give it a message of its own (also when the reaction is refused, e.g. reactions are off there).
   */
  async open(origin: Origin, view: TaskView): Promise<MessageRef | undefined> {
    if (!origin.chat.isGroup || origin.platformData?.ownMessage !== true || !origin.replyTo) return undefined;
    const chatId = Number(origin.chat.chatId);
    if (this.liveIn(chatId) < this.threshold) return undefined;
    const replyTo = Number(origin.replyTo);
    try {
      await this.react(chatId, replyTo, REACTION.waiting, 'ack');
    } catch (err) {
      this.shared.logger.debug({ err, chatId }, 'reaction refused; the job gets its own message');
      return undefined;
    }
    const ref: MessageRef = { chat: origin.chat, messageId: String(replyTo), platformData: { replyTo, quiet: true, since: this.now() } };
    this.show(ref, view);
    return ref;
  }

  /** A job of a group now has a message or a board line. */
  track(ref: MessageRef): void {
    if (!ref.chat.isGroup) return;
    const chatId = Number(ref.chat.chatId);
    let jobs = this.live.get(chatId);
    if (!jobs) this.live.set(chatId, (jobs = new Set()));
    jobs.add(keyOf(ref));
  }

  /** The job ended (its final view is out): off the board, no longer counted. */
  end(ref: MessageRef): void {
    const chatId = Number(ref.chat.chatId);
    const key = keyOf(ref);
    const jobs = this.live.get(chatId);
    jobs?.delete(key);
    if (jobs?.size === 0) this.live.delete(chatId);
    this.drawing.delete(key);
    if (isQuiet(ref)) this.board.remove(chatId, key);
  }

  /** A non-final view of a quiet job: its board line, and ✍ on the command once it draws. */
  show(ref: MessageRef, view: TaskView): void {
    const chatId = Number(ref.chat.chatId);
    const key = keyOf(ref);
    this.track(ref);
    this.board.set(chatId, key, { name: view.requester, prompt: view.prompt, phase: view.phase, percent: view.percent, ahead: view.queuePosition, since: sinceOf(ref) ?? 0 }, view.locale);
    if (view.phase !== 'progress' || this.drawing.has(key)) return;
    this.drawing.add(key);
    this.react(chatId, Number(ref.messageId), REACTION.drawing, 'ack').catch((err: unknown) => this.shared.logger.debug({ err, chatId }, 'reaction failed'));
  }

  private react(chatId: number, messageId: number, emoji: '👀' | '✍', lane: Lane): Promise<unknown> {
    const key = `${chatId}:${messageId}`;
    const previous = this.reacting.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.shared.budget.in(lane, () => this.shared.api.setMessageReaction(chatId, messageId, [{ type: 'emoji', emoji }])));
    this.reacting.set(key, next);
    void next.finally(() => this.reacting.get(key) === next && this.reacting.delete(key)).catch(() => undefined);
    return next;
  }
}
