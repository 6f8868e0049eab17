/**
 * Task store and life-cycle state machine (docs/protocol.md#simulator):
 * NOT_START (queued) → SUBMITTED "0%" → IN_PROGRESS × progressSteps → SUCCESS "100%" | FAILURE "".
 * MODAL tasks wait outside the queue until /mj/submit/modal. A fixed number of slots run at once.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { buttonsFor } from './buttons.js';
import type { ResolvedSimOptions, SimTask } from './types.js';

export type Admission = { kind: 'running' } | { kind: 'queued'; position: number } | { kind: 'full' };

type NewTask = Partial<SimTask> & Pick<SimTask, 'action' | 'prompt' | 'description' | 'resultKind' | 'palette'>;

const TERMINAL = new Set(['SUCCESS', 'FAILURE']);

export class TaskStore {
  private readonly all = new Map<string, SimTask>();
  private readonly running = new Set<string>();
  private readonly queue: string[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private paused = false;
  private failNextReason: string | null = null;
  private stickNext = false;

  constructor(
    private readonly opts: ResolvedSimOptions,
    private readonly onChange: (task: SimTask) => void,
  ) {}

  get(id: string): SimTask | undefined {
    return this.all.get(id);
  }

  list(): SimTask[] {
    return [...this.all.values()];
  }

  /** What would happen to one more task right now. */
  admission(): Admission {
    if (this.running.size < this.opts.concurrency) return { kind: 'running' };
    if (this.queue.length >= this.opts.queueLimit) return { kind: 'full' };
    return { kind: 'queued', position: this.queue.length + 1 };
  }

  /** Create a task record (not yet queued); status NOT_START unless given. */
  create(init: NewTask): SimTask {
    const now = this.opts.now();
    const task: SimTask = {
      id: this.newId(),
      relayAction: init.action,
      status: 'NOT_START',
      promptEn: init.prompt,
      state: null,
      submitTime: now,
      startTime: null,
      finishTime: null,
      imagePath: null,
      videoPath: null,
      progress: '',
      failReason: null,
      finalPrompt: '',
      properties: {},
      buttons: [],
      mode: 'FAST',
      botType: 'MID_JOURNEY',
      parentId: null,
      notifyHook: null,
      step: 0,
      plannedFailure: null,
      failEarly: false,
      stuck: false,
      modalKind: null,
      afterModalDescription: null,
      parentSize: null,
      numberedPrompts: [],
      ...init,
    };
    if (task.status !== 'MODAL') this.applyNextPlans(task);
    this.all.set(task.id, task);
    if (task.status === 'MODAL') this.onChange(task);
    return task;
  }

  /** failTask/stickTask('next') apply to the next task that starts its life. */
  private applyNextPlans(task: SimTask): void {
    if (this.failNextReason !== null) {
      task.plannedFailure ??= this.failNextReason;
      this.failNextReason = null;
    }
    if (this.stickNext) {
      task.stuck = true;
      this.stickNext = false;
    }
  }

  /** Put a NOT_START task into a slot or the queue; callers check {@link admission} first. */
  enqueue(task: SimTask): Admission {
    const admission = this.admission();
    if (admission.kind === 'full') return admission;
    if (task.status === 'MODAL') {
      task.status = 'NOT_START';
      task.submitTime = this.opts.now();
      this.applyNextPlans(task);
    }
    if (admission.kind === 'running') this.start(task);
    else this.queue.push(task.id);
    return admission;
  }

  remove(id: string): void {
    this.stop(id);
    this.all.delete(id);
  }

  failTask(idOrNext: string, reason: string): void {
    if (idOrNext === 'next') {
      this.failNextReason = reason;
      return;
    }
    const task = this.all.get(idOrNext);
    if (!task || TERMINAL.has(task.status)) return;
    task.plannedFailure = reason;
    if (task.stuck || task.status === 'MODAL') this.finish(task, reason);
  }

  stickTask(idOrNext: string): void {
    if (idOrNext === 'next') {
      this.stickNext = true;
      return;
    }
    const task = this.all.get(idOrNext);
    if (!task) return;
    task.stuck = true;
    if (task.status === 'IN_PROGRESS') this.clearTimer(task.id);
  }

  /** Cancel: FAILURE "取消任务" (trueai `TaskController.Cancel`). */
  cancel(task: SimTask): void {
    if (!TERMINAL.has(task.status)) this.finish(task, '取消任务');
  }

  pause(): void {
    this.paused = true;
    for (const id of [...this.timers.keys()]) this.clearTimer(id);
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    for (const id of this.running) {
      const task = this.all.get(id);
      if (task) this.schedule(task);
    }
  }

  reset(): void {
    for (const id of [...this.timers.keys()]) this.clearTimer(id);
    this.all.clear();
    this.running.clear();
    this.queue.length = 0;
    this.failNextReason = null;
    this.stickNext = false;
  }

  private newId(): string {
    for (;;) {
      const id = `${String(Math.max(0, Math.floor(this.opts.now()))).padStart(13, '0')}${String(randomInt(1000)).padStart(3, '0')}`;
      if (!this.all.has(id)) return id;
    }
  }

  private start(task: SimTask): void {
    this.running.add(task.id);
    this.schedule(task);
  }

  private schedule(task: SimTask): void {
    if (this.paused || this.timers.has(task.id) || TERMINAL.has(task.status)) return;
    const frozen = task.stuck && (task.status === 'IN_PROGRESS' || (task.status === 'SUBMITTED' && this.opts.progressSteps === 0));
    if (frozen) return;
    const timer = setTimeout(() => {
      this.timers.delete(task.id);
      this.advance(task);
    }, this.opts.stepMs);
    timer.unref?.();
    this.timers.set(task.id, timer);
  }

  /** One life step. */
  private advance(task: SimTask): void {
    if (this.all.get(task.id) !== task || TERMINAL.has(task.status)) return;
    const steps = this.opts.progressSteps;
    if (task.status === 'NOT_START') {
      task.status = 'SUBMITTED';
      task.startTime = this.opts.now();
      task.progress = '0%';
    } else if (task.plannedFailure !== null && (task.failEarly || task.step >= 1 || steps === 0)) {
      this.finish(task, task.plannedFailure);
      return;
    } else if (task.step < steps) {
      task.step += 1;
      task.status = 'IN_PROGRESS';
      task.progress = `${Math.floor((task.step * 100) / (steps + 1))}%`;
      // MJ echoes the full prompt in its first progress message.
      task.properties.finalPrompt = task.finalPrompt;
      if (task.resultKind !== 'describe' && task.resultKind !== 'shorten' && task.resultKind !== 'shorten-details') {
        task.imagePath = `/sim/img/${task.id}/preview-${task.step}.png`;
      }
    } else {
      this.finish(task, null);
      return;
    }
    this.onChange(task);
    this.schedule(task);
  }

  /** Move to SUCCESS (reason null) or FAILURE, free the slot, start the next queued task. */
  private finish(task: SimTask, failReason: string | null): void {
    this.stop(task.id);
    task.finishTime = this.opts.now();
    if (failReason === null) {
      const uuid = randomUUID();
      task.status = 'SUCCESS';
      task.progress = '100%';
      task.properties.finalPrompt = task.finalPrompt;
      task.properties.messageHash = uuid;
      task.properties.messageId = String(1_300_000_000_000_000_000n + BigInt(randomInt(1, 2 ** 47)));
      task.buttons = buttonsFor(task.resultKind, uuid);
      task.imagePath = imagePathFor(task);
      // A video job: a grid clip of its four clips; a clip upscale: one clip (docs/protocol.md#video).
      if (task.resultKind === 'video') task.videoPath = `/sim/video/${task.id}/grid.mp4`;
      if (task.resultKind === 'video-solo') task.videoPath = `/sim/video/${task.id}/single.mp4`;
    } else {
      task.status = 'FAILURE';
      task.progress = '';
      task.failReason = failReason;
    }
    this.onChange(task);
    this.pump();
  }

  private stop(id: string): void {
    this.clearTimer(id);
    this.running.delete(id);
    const queued = this.queue.indexOf(id);
    if (queued >= 0) this.queue.splice(queued, 1);
  }

  private pump(): void {
    while (this.running.size < this.opts.concurrency && this.queue.length > 0) {
      const next = this.all.get(this.queue.shift() ?? '');
      if (next) this.start(next);
    }
  }

  private clearTimer(id: string): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
  }
}

/** Final image path of a finished task, by the kind of result it produced. */
function imagePathFor(task: SimTask): string | null {
  switch (task.resultKind) {
    case 'grid': case 'video': return `/sim/img/${task.id}/grid.png`;
    case 'solo': case 'solo-hd': case 'single': case 'video-solo': return `/sim/img/${task.id}/single.png`;
    // describe shows the uploaded image; shorten has none.
    case 'describe': case 'shorten': case 'shorten-details': return task.imagePath;
  }
}
