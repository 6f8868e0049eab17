/**
 * Per-channel pacing of public message writes. Discord lets a channel take only a few messages
 * in a few seconds (about 5 per 5 s), and that limit is shared by the bot token and every
 * interaction webhook writing there — discord.js cannot see it coming, because its queues are per
 * route and per webhook token (the bot-wide 50 requests/s it does handle itself). So every create
 * or edit of a public message asks its channel's pacer first:
 * - results (`final`) go first, then first acknowledgements (`ack`: a task's first view, a job's
 *   first place in line, public replies), then progress, each in arrival order;
 * - progress goes out only while `progressReserve` slots stay free for the others;
 * - a queued write of a message is replaced by a newer write of the same message, keeping the
 *   higher priority: a result supersedes its acknowledgement or progress if that has not gone
 *   out yet, and only the newest progress of a message waits (the others are dropped);
 * - writes of one message never overlap, so an older view cannot land after a newer one.
 * A slot counts from the moment its write starts until `windowMs` after it finished, so the
 * pacer's window covers Discord's (which counts on arrival) whatever the latency.
 */

export interface ChannelBudget {
  /** Public message writes per window and channel. */
  messages: number;
  windowMs: number;
  /** Slots progress leaves free for results and acknowledgements. */
  progressReserve: number;
}

/** Discord's observed channel limit, 5 messages per 5 s. */
export const DISCORD_CHANNEL_BUDGET: ChannelBudget = { messages: 5, windowMs: 5000, progressReserve: 2 };

export type WritePriority = 'final' | 'ack' | 'progress';

/** `ran: false`: a newer write of the same message took its place, or the pacer was closed. */
export type Paced<T> = { ran: true; value: T } | { ran: false };

interface Entry {
  key: string;
  rank: number;
  seq: number;
  work: () => Promise<unknown>;
  settle: (outcome: Paced<unknown> | { error: unknown }) => void;
}

interface Channel {
  /** End times of recent writes, oldest first. */
  done: number[];
  inFlight: number;
  queue: Entry[];
  /** Messages with a write in flight. */
  busy: Set<string>;
  timer?: NodeJS.Timeout;
}

/** Clock margin on top of the window. */
const MARGIN_MS = 50;
const RANK: Record<WritePriority, number> = { final: 0, ack: 1, progress: 2 };

export class ChannelPacer {
  private readonly channels = new Map<string, Channel>();
  private seq = 0;
  private closed = false;

  constructor(
    private readonly budget: ChannelBudget = DISCORD_CHANNEL_BUDGET,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queue a write of message `key`; resolves once it ran (its value), or `ran: false` when superseded or closed. */
  write<T>(channelId: string, key: string, priority: WritePriority, work: () => Promise<T>): Promise<Paced<T>> {
    if (this.closed) return Promise.resolve({ ran: false });
    const channel = this.channel(channelId);
    let rank = RANK[priority];
    let seq = ++this.seq;
    const old = channel.queue.findIndex((e) => e.key === key);
    // A queued result is never replaced by an older kind of view.
    if (old >= 0 && channel.queue[old]!.rank === 0 && rank > 0) return Promise.resolve({ ran: false });
    if (old >= 0) {
      const [replaced] = channel.queue.splice(old, 1);
      if (replaced && replaced.rank <= rank) {
        // Same or higher priority: the newer view takes the older one's place in line.
        rank = replaced.rank;
        seq = replaced.seq;
      }
      replaced?.settle({ ran: false });
    }
    const done = new Promise<Paced<T>>((resolve, reject) => {
      const settle = (outcome: Paced<unknown> | { error: unknown }): void => ('error' in outcome ? reject(outcome.error) : resolve(outcome as Paced<T>));
      channel.queue.push({ key, rank, seq, work, settle });
    });
    this.pump(channelId, channel);
    return done;
  }

  /** True when `key` has a write queued or in flight. */
  pending(channelId: string, key: string): boolean {
    const channel = this.channels.get(channelId);
    return Boolean(channel && (channel.busy.has(key) || channel.queue.some((e) => e.key === key)));
  }

  /** True when a write of `key` at `priority` would start at once, waiting behind nothing. */
  canWriteNow(channelId: string, key: string, priority: WritePriority): boolean {
    const channel = this.channels.get(channelId);
    if (!channel) return true;
    return channel.queue.length === 0 && !channel.busy.has(key) && this.free(channel) > this.threshold(RANK[priority]);
  }

  /** Drop everything queued (it resolves `ran: false`); writes in flight finish. */
  close(): void {
    this.closed = true;
    for (const channel of this.channels.values()) {
      clearTimeout(channel.timer);
      for (const entry of channel.queue.splice(0)) entry.settle({ ran: false });
    }
  }

  private channel(channelId: string): Channel {
    let channel = this.channels.get(channelId);
    if (!channel) {
      channel = { done: [], inFlight: 0, queue: [], busy: new Set() };
      this.channels.set(channelId, channel);
    }
    return channel;
  }

  /** Slots free now: the budget minus writes in flight and those that ended within the window. */
  private free(channel: Channel): number {
    const since = this.now() - this.budget.windowMs - MARGIN_MS;
    while (channel.done.length > 0 && (channel.done[0] ?? 0) <= since) channel.done.shift();
    return this.budget.messages - channel.inFlight - channel.done.length;
  }

  private pump(channelId: string, channel: Channel): void {
    clearTimeout(channel.timer);
    channel.timer = undefined;
    while (!this.closed && channel.queue.length > 0) {
      if (this.free(channel) <= 0) {
        this.wakeAtNextSlot(channelId, channel);
        return;
      }
      let best: Entry | undefined;
      for (const e of channel.queue) {
        if (channel.busy.has(e.key)) continue;
        if (!best || e.rank < best.rank || (e.rank === best.rank && e.seq < best.seq)) best = e;
      }
      if (!best) return;
      if (this.free(channel) <= this.threshold(best.rank)) {
        // Only progress is left, and the free slots are kept for the others.
        this.wakeAtNextSlot(channelId, channel);
        return;
      }
      channel.queue.splice(channel.queue.indexOf(best), 1);
      this.start(channelId, channel, best);
    }
    if (channel.queue.length === 0 && channel.inFlight === 0 && channel.done.length === 0) this.channels.delete(channelId);
  }

  /** Free slots a write of this rank must leave: progress keeps the reserve. */
  private threshold(rank: number): number {
    return rank >= RANK.progress ? this.budget.progressReserve : 0;
  }

  /** Pump again when the oldest slot leaves the window; with only writes in flight, their end pumps. */
  private wakeAtNextSlot(channelId: string, channel: Channel): void {
    const oldest = channel.done[0];
    if (oldest === undefined) return;
    channel.timer = setTimeout(() => this.pump(channelId, channel), Math.max(1, oldest + this.budget.windowMs + MARGIN_MS + 1 - this.now()));
    channel.timer.unref?.();
  }

  private start(channelId: string, channel: Channel, entry: Entry): void {
    channel.inFlight += 1;
    channel.busy.add(entry.key);
    void entry
      .work()
      .then(
        (value) => entry.settle({ ran: true, value }),
        (error: unknown) => entry.settle({ error }),
      )
      .finally(() => {
        channel.inFlight -= 1;
        channel.busy.delete(entry.key);
        channel.done.push(this.now());
        if (!this.channels.has(channelId)) this.channels.set(channelId, channel);
        this.pump(channelId, channel);
      });
  }
}
