/**
 * notifyHook callbacks (docs/protocol.md#notifyhook): POST the full task JSON on every state change,
 * fire-and-forget, no retries, errors ignored. With `chaos`, some posts are duplicated and some
 * delayed, so receivers see out-of-order and repeated states like with the real thread pool.
 */
export class Notifier {
  private readonly pending = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private closed = false;

  constructor(private readonly chaos: boolean, private readonly stepMs: number) {}

  /** Queue a POST of `body` to `url`. */
  send(url: string, body: unknown): void {
    if (this.closed) return;
    const payload = JSON.stringify(body);
    const copies = this.chaos && Math.random() < 0.3 ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const delay = this.chaos && Math.random() < 0.4 ? Math.round(this.stepMs * (1 + Math.random() * 2)) : 0;
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        void this.post(url, payload);
      }, delay);
      this.pending.add(timer);
    }
  }

  private async post(url: string, payload: string): Promise<void> {
    if (this.closed) return;
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(), 5_000);
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload, signal: controller.signal });
      await res.arrayBuffer().catch(() => undefined);
    } catch {
      // Fire-and-forget like the real proxies: the status is at most logged there.
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
  }

  /** Drop queued posts (reset). */
  clear(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }

  /** Drop queued posts and abort those in flight. */
  close(): void {
    this.closed = true;
    this.clear();
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }
}
