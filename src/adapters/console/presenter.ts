/**
 * The console's Presenter: every task update is printed as a new line (`[taskId] headline`),
 * results are saved to the output directory, and their buttons are remembered so typing a label
 * presses them. `ConsoleScreen` is the terminal state shared with the input loop.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BotError } from '../../errors.js';
import type { KeyValue, Presenter, SendFailure } from '../../core/domain/ports.js';
import { RECORD_TTL_MS } from '../../core/domain/records.js';
import type { ButtonView, FormView, ImageRef, MessageRef, Origin, TaskView } from '../../core/domain/types.js';
import type { MjService } from '../../core/service/service.js';
import { matchButton } from './input.js';
import { formatRows, offerLines, taskLine } from './render.js';
import { t } from './texts.js';

/** A file name made of a task id: no separators, no dots. */
const SAFE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** How many earlier button sets stay pressable (`U2 <taskId>` reaches older ones). */
const MAX_SETS = 50;

interface ButtonSet {
  key: string;
  rows: ButtonView[][];
}

/** What the terminal shows and remembers: printed lines, pressable buttons, an offered form. */
export class ConsoleScreen {
  private readonly sets: ButtonSet[] = [];
  /** A form offered after the fact (remix), opened by typing "remix". */
  offered?: FormView;
  /** The latest finished task (for /seed without an id). */
  lastTaskId?: string;

  constructor(
    private readonly output: NodeJS.WritableStream,
    private readonly service: MjService,
    private readonly outputDir: string,
  ) {}

  print(text: string): void {
    this.output.write(`${text}\n`);
  }

  /** Print buttons and make them pressable; the newest set is searched first. */
  showRows(key: string, rows: ButtonView[][]): void {
    if (rows.length === 0 || rows.every((r) => r.length === 0)) return;
    this.print(`  ${formatRows(rows)}`);
    const at = this.sets.findIndex((s) => s.key === key);
    if (at >= 0) this.sets.splice(at, 1);
    this.sets.unshift({ key, rows });
    this.sets.length = Math.min(this.sets.length, MAX_SETS);
  }

  /** The button a typed line names: `U2` (newest set that has it) or `U2 <taskId>`. */
  findButton(typed: string): ButtonView | undefined {
    const words = typed.trim().split(/\s+/);
    const key = words.length > 1 ? words[words.length - 1] : undefined;
    const target = key ? this.sets.find((s) => s.key === key) : undefined;
    if (target) return matchButton(target.rows, words.slice(0, -1).join(' '));
    for (const set of this.sets) {
      const found = matchButton(set.rows, typed);
      if (found) return found;
    }
    return undefined;
  }

  /** Download a task image (or a video task's clip) into the output directory; returns the path. */
  async saveImage(image: ImageRef, kind: 'image' | 'video' = 'image'): Promise<string> {
    // The core only passes proxy ids it checked; this keeps a file inside the folder whatever comes.
    if (!SAFE_NAME.test(image.taskId)) throw new BotError('IMAGE_INVALID', 'task id unfit for a file name');
    const loaded = kind === 'video' ? await this.service.loadVideo(image) : await this.service.loadImage(image);
    const ext = /\.([a-z0-9]+)$/i.exec(loaded.fileName)?.[1] ?? (kind === 'video' ? 'mp4' : 'png');
    await mkdir(this.outputDir, { recursive: true });
    const path = join(this.outputDir, `${image.taskId}.${ext}`);
    await writeFile(path, loaded.bytes);
    return path;
  }

  /** `image: <path>` (`video: <path>`), or why it could not be saved. */
  async imageLine(image: ImageRef, locale: TaskView['locale'], kind: 'image' | 'video' = 'image'): Promise<string> {
    try {
      return t(locale, kind === 'video' ? 'console.video' : 'console.image', { path: await this.saveImage(image, kind) });
    } catch (err) {
      return `⚠️ ${t(locale, kind === 'video' ? 'console.videoFailed' : 'console.imageFailed', { reason: this.service.errorReply(locale, err).text })}`;
    }
  }
}

export class ConsolePresenter implements Presenter {
  readonly platform = 'console' as const;
  private next = 1;
  /** Last line printed per message, so repeated identical updates are not printed twice. */
  private readonly lastLine = new Map<string, string>();
  /** Results printed by this process (also when the store could not take the note). */
  private readonly printedHere = new Set<string>();
  constructor(
    private readonly screen: ConsoleScreen,
    /** Remembers which tasks' results were printed, so a replayed final view (after a restart) is recognised. */
    private readonly state: KeyValue,
    readonly minUpdateIntervalMs = 300,
  ) {}

  async open(origin: Origin, view: TaskView): Promise<MessageRef> {
    const ref: MessageRef = { chat: origin.chat, messageId: String(this.next++) };
    await this.show(ref, view, ` · ${view.prompt}`);
    return ref;
  }

  async update(ref: MessageRef, view: TaskView): Promise<void> {
    await this.show(ref, view);
  }

  /** A terminal never refuses for good. */
  classifyFailure(): SendFailure {
    return 'transient';
  }

  async offerForm(_ref: MessageRef, form: FormView): Promise<void> {
    this.screen.offered = form;
    for (const line of offerLines(form)) this.screen.print(line);
  }

  private async show(ref: MessageRef, view: TaskView, suffix = ''): Promise<void> {
    if (!view.final) {
      const line = taskLine(view, suffix);
      if (this.lastLine.get(ref.messageId) === line) return;
      this.lastLine.set(ref.messageId, line);
      this.screen.print(line);
      return;
    }
    this.lastLine.delete(ref.messageId);
    // Message ids restart with the process; task ids do not. (Submit failures have no task.)
    const printed = view.taskId ? `printed:${view.taskId}` : undefined;
    if (printed && (this.printedHere.has(printed) || (await this.state.get<boolean>(printed)))) return;
    await this.print(view);
    if (!printed) return;
    this.printedHere.add(printed);
    // Only a crash between printing and this line can print a result twice (docs/delivery.md).
    await this.state.set(printed, true, RECORD_TTL_MS).catch(() => undefined);
  }

  private async print(view: TaskView): Promise<void> {
    if (view.phase !== 'result') {
      this.screen.print(taskLine(view, view.detail ? ` — ${view.detail}` : ''));
      return;
    }
    // A video result is its clip (the still beside it adds nothing in a terminal).
    const media = view.video ? await this.screen.imageLine(view.video, view.locale, 'video') : view.image ? await this.screen.imageLine(view.image, view.locale) : undefined;
    const imageLine = media ? ` — ${media}` : '';
    this.screen.print(taskLine(view, imageLine));
    if (view.detail) for (const line of view.detail.split('\n').filter((l) => l.trim())) this.screen.print(`  ${line}`);
    if (view.taskId) {
      this.screen.lastTaskId = view.taskId;
      this.screen.showRows(view.taskId, view.rows);
    }
  }
}
