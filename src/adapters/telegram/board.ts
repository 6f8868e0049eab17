/**
 * The session board of a busy group: one message that lists who is drawing (with progress) and
 * who waits, instead of a status message per job. It is edited at most every `intervalMs`, only
 * when the group's budget has room for progress (results go first), and deleted once nobody is
 * left on it (deleting is not a message, so it costs no budget). Its message id is stored, so a
 * restarted process edits (and finally deletes) the same message instead of leaving it stale.
 */
import { progressBar } from '../../core/domain/views.js';
import type { Locale, TaskView } from '../../core/domain/types.js';
import type { BudgetClock } from './budget.js';
import { isMessageGone, isNotModified, type Shared } from './context.js';
import { escapeHtml, MAX_TEXT, truncate } from './render.js';
import { t } from './texts.js';

export interface BoardLine {
  name: string;
  prompt: string;
  phase: TaskView['phase'];
  percent?: number;
  ahead?: number;
  /** When the job was asked for: the board lists the longest-waiting first. */
  since: number;
}

interface GroupBoard {
  lines: Map<string, BoardLine>;
  locale: Locale;
  messageId?: number;
  /** The stored message id (from before a restart) was looked up. */
  adopted: boolean;
  /** What the message shows now (skips edits that change nothing). */
  shown?: string;
  lastAt: number;
  /** No room last time: not before then. */
  retryAt: number;
  scheduled: boolean;
  /** Flushes of one board run one after another (never two board messages). */
  chain: Promise<unknown>;
}

/** How long a board's message id is kept in the store (a drawing session lasts hours, not days). */
const BOARD_TTL_MS = 24 * 60 * 60 * 1000;
const boardKey = (chatId: number): string => `board:${chatId}`;

/** How soon a board that found no room looks again. */
const NO_ROOM_RETRY_MS = 1000;

/** More lines than this are summed up as "… and n more" (keeps the text well under 4096). */
const MAX_LINES = 40;

export class SessionBoard {
  private readonly groups = new Map<number, GroupBoard>();

  constructor(
    private readonly shared: Shared,
    private readonly clock: BudgetClock,
    private readonly intervalMs: number,
    /** Results a group still waits for: edits leave them their share of its budget. */
    private readonly outstanding: (chatId: number) => number,
    /**
     * Store each board's message id and take it over after a restart. Off in a fleet: there a
     * stored board may be another live process's, and two processes editing (and finally
     * deleting) one message would undo each other's lines; each process keeps its own board.
     */
    private readonly remember: boolean,
  ) {}

  /** Put (or refresh) a job's line on its group's board. */
  set(chatId: number, key: string, line: BoardLine, locale: Locale): void {
    const board = this.board(chatId);
    board.lines.set(key, line);
    board.locale = locale;
    this.schedule(chatId, board);
  }

  /**
   * The job's result is out (or it ended): take its line off. A job of a board this process has
   * not seen (it restarted) may leave a board message behind: a board is looked up after one
   * interval, when the other jobs' progress had its time to put their lines back, and deleted
   * if it is still empty.
   */
  remove(chatId: number, key: string): void {
    const known = this.groups.get(chatId);
    if (known ? !known.lines.delete(key) : !this.remember) return;
    const board = known ?? this.board(chatId);
    if (!known) board.lastAt = this.clock.now();
    this.schedule(chatId, board);
  }

  /** The board's message id in a group, if one is shown. */
  messageOf(chatId: number): number | undefined {
    return this.groups.get(chatId)?.messageId;
  }

  private board(chatId: number): GroupBoard {
    let board = this.groups.get(chatId);
    if (!board) {
      board = { lines: new Map(), locale: this.shared.locale, adopted: false, lastAt: -Infinity, retryAt: 0, scheduled: false, chain: Promise.resolve() };
      this.groups.set(chatId, board);
    }
    return board;
  }

  private schedule(chatId: number, board: GroupBoard): void {
    if (board.scheduled) return;
    board.scheduled = true;
    const wait = Math.max(0, board.lastAt + this.intervalMs - this.clock.now(), board.retryAt - this.clock.now());
    board.chain = board.chain
      .then(() => this.clock.sleep(wait))
      .then(async () => {
        board.scheduled = false;
        const again = await this.flush(chatId, board).catch((err: unknown) => {
          this.shared.logger.debug({ err, chatId }, 'board update failed');
          return true;
        });
        if (again) this.schedule(chatId, board);
      });
  }

  /** Show the board as it is now; true when it should be tried again later. */
  private async flush(chatId: number, board: GroupBoard): Promise<boolean> {
    const { api, state } = this.shared;
    if (!board.adopted) {
      board.adopted = true;
      if (this.remember) board.messageId ??= await state.get<number>(boardKey(chatId)).catch(() => undefined);
    }
    if (board.lines.size === 0) {
      if (board.messageId !== undefined) {
        await api.deleteMessage(chatId, board.messageId).catch(() => undefined);
        if (this.remember) await state.delete(boardKey(chatId)).catch(() => undefined);
      }
      this.groups.delete(chatId);
      return false;
    }
    const text = render(board);
    if (text === board.shown) return false;
    // The board's first message is the acknowledgement of the jobs on it (behind results); its
    // edits are progress: only when a message fits without touching the results' reserve.
    const creating = board.messageId === undefined;
    if (!creating && !this.shared.budget.hasRoom(chatId, this.outstanding(chatId))) {
      board.retryAt = this.clock.now() + NO_ROOM_RETRY_MS;
      return true;
    }
    board.lastAt = this.clock.now();
    await this.shared.budget.in(creating ? 'ack' : 'progress', async () => {
      if (board.messageId !== undefined) {
        try {
          await api.editMessageText(chatId, board.messageId, text, { parse_mode: 'HTML' });
        } catch (err) {
          if (isNotModified(err)) return;
          if (!isMessageGone(err)) throw err;
          board.messageId = undefined;
        }
      }
      if (board.messageId === undefined) {
        board.messageId = (await api.sendMessage(chatId, text, { parse_mode: 'HTML' })).message_id;
        if (this.remember) await state.set(boardKey(chatId), board.messageId, BOARD_TTL_MS).catch((err: unknown) => this.shared.logger.debug({ err, chatId }, 'board message id not stored'));
      }
    });
    board.shown = text;
    return board.lines.size === 0 || render(board) !== text;
  }
}

function render(board: GroupBoard): string {
  const locale = board.locale;
  const lines = [...board.lines.values()].sort((a, b) => a.since - b.since);
  const drawing = lines.filter((l) => l.phase === 'progress' || l.phase === 'waiting-input');
  const waiting = lines.filter((l) => !drawing.includes(l));
  const out = [`<b>${escapeHtml(t(locale, 'tg.board.title'))}</b>`];
  const shown = [...drawing, ...waiting].slice(0, MAX_LINES);
  for (const line of shown) out.push(lineText(locale, line));
  if (lines.length > shown.length) out.push(escapeHtml(t(locale, 'tg.board.more', { n: lines.length - shown.length })));
  out.push(`<i>${escapeHtml(t(locale, 'tg.board.hint'))}</i>`);
  return truncate(out.join('\n'), MAX_TEXT);
}

function lineText(locale: Locale, line: BoardLine): string {
  const who = `${escapeHtml(truncate(line.name, 32))} · <i>${escapeHtml(truncate(line.prompt, 40))}</i>`;
  if (line.phase === 'progress') return `✍ ${who} — ${Math.round(line.percent ?? 0)}% ${progressBar(line.percent ?? 0)}`;
  if (line.phase === 'waiting-input') return `✏️ ${who} — ${escapeHtml(t(locale, 'tg.board.input'))}`;
  const state = line.ahead ? t(locale, 'tg.board.waitingAhead', { n: line.ahead }) : t(locale, 'tg.board.waiting');
  return `👀 ${who} — ${escapeHtml(state)}`;
}
