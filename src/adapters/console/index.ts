/**
 * The console front end (`npm start` without a chat token): one terminal user against the MJ
 * service. Lines are commands (`/imagine …`, `blend a.png b.png`), button labels (`U2`,
 * `Custom Zoom`, `1`), form answers, or — anything else — a prompt to draw.
 */
import { readFile, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { findCommand } from '../../../commands/index.js';
import { t } from '../../core/domain/i18n/index.js';
import type { MjService } from '../../core/service/service.js';
import type { FormAnswer, FormView, Locale, Origin, Presenter, Reply } from '../../core/domain/types.js';
import { buildConsoleInput } from './input.js';
import { ConsolePresenter, ConsoleScreen } from './presenter.js';

export interface ConsoleOptions {
  service: MjService;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Where finished images are saved. */
  outputDir: string;
  locale?: Locale;
  userName?: string;
  /** Print a "> " prompt after each line. */
  prompt?: boolean;
  /** Minimum gap between two progress lines of one task (default 300 ms). */
  minUpdateIntervalMs?: number;
}

export interface ConsoleSession {
  presenter: Presenter;
  /** Resolves when the input ends or the user types /quit. */
  done: Promise<void>;
  close(): void;
}

const QUIT = new Set(['/quit', '/exit', 'quit', 'exit']);
const OPEN_WORDS = new Set(['remix', 'open', '打开']);
const BUTTON_LIKE = /^(?:[uv][1-4]|reroll)(?:\s+\d+)?$/i;

/** Start reading lines from `input`; attaches its presenter to the service. */
export function startConsole(opts: ConsoleOptions): ConsoleSession {
  const { service } = opts;
  const screen = new ConsoleScreen(opts.output, service, opts.outputDir);
  const presenter = new ConsolePresenter(screen, opts.minUpdateIntervalMs ?? 300);
  service.attach(presenter);
  const origin: Origin = {
    chat: { platform: 'console', chatId: 'console', isGroup: false },
    actor: { userId: 'console', name: opts.userName ?? safeUserName(), locale: opts.locale ?? 'en' },
  };
  const locale = () => service.localeOf(origin);
  /** A form waiting for the next typed line. */
  let pending: FormView | undefined;

  const show = async (reply: Reply): Promise<void> => {
    if (reply.type === 'task') return;
    if (reply.type === 'error') return screen.print(`⚠️ ${reply.text}`);
    if (reply.type === 'form') return askForm(reply.form);
    screen.print(reply.text);
    const images = [...(reply.image ? [reply.image] : []), ...(reply.images ?? [])];
    for (const image of images) screen.print(`  ${await screen.imageLine(image, await locale())}`);
    screen.showRows(reply.image?.taskId ?? 'menu', reply.rows ?? []);
  };

  const askForm = (form: FormView): void => {
    pending = form;
    screen.offered = undefined;
    screen.print(`✏️ ${form.title}`);
    screen.print(`  ${form.hint}`);
    if (form.prompt) screen.print(`  ${t(form.locale, 'console.formPrompt', { value: form.prompt.value })}`);
    for (const [i, region] of (form.regions ?? []).entries()) screen.print(`  ${i + 1}. ${region.label} (${region.id})`);
    screen.print(t(form.locale, form.regions?.length ? 'console.regionAsk' : 'console.formAsk'));
  };

  const answer = async (form: FormView, text: string): Promise<void> => {
    if (text.toLowerCase() === 'cancel' || text === '取消') {
      pending = undefined;
      return show(await service.cancelForm(form.formId, origin));
    }
    const parsed = await formAnswer(form, text);
    const reply = await service.answerForm(form.formId, parsed, origin);
    // A bad answer (e.g. --zoom out of range) can be typed again; anything else ends the form.
    if (!(reply.type === 'error' && (reply.code === 'BAD_INPUT' || reply.code === 'IMAGE_INVALID'))) pending = undefined;
    await show(reply);
  };

  const runCommand = async (name: string, rest: string): Promise<void> => {
    const command = findCommand(name);
    const lang = await locale();
    if (!command) return screen.print(`⚠️ ${t(lang, 'console.unknownCommand', { name })}`);
    const built = await buildConsoleInput(command, rest);
    if (!built.ok) return screen.print(`⚠️ ${t(lang, 'console.fileNotFound', { path: built.missing })}`);
    await show(await command.execute(built.input, { service, origin, locale: lang, replyToTaskId: screen.lastTaskId }));
  };

  const handle = async (line: string): Promise<'quit' | void> => {
    const text = line.trim();
    if (QUIT.has(text.toLowerCase())) return 'quit';
    if (pending && !text.startsWith('/')) return answer(pending, text);
    if (!text) return;
    const first = text.split(/\s+/)[0] ?? '';
    const rest = text.slice(first.length).trim();
    if (first.startsWith('/')) return runCommand(first.slice(1), rest);
    const bare = findCommand(first);
    if (bare && !bare.hidden) return runCommand(first, rest);
    if (screen.offered && OPEN_WORDS.has(text.toLowerCase())) return show(await service.press(screen.offered.openPayload, origin));
    const button = screen.findButton(text);
    if (button) return show(await service.press(button.payload, origin));
    // "U2" before any result has a U2 is a mistimed press, not a prompt worth drawing.
    if (BUTTON_LIKE.test(text)) return screen.print(`⚠️ ${t(await locale(), 'console.noButton', { label: text })}`);
    return runCommand('imagine', text);
  };

  const rl = createInterface({ input: opts.input, terminal: false });
  let queue: Promise<void> = Promise.resolve();
  const promptMark = () => {
    if (opts.prompt) opts.output.write('> ');
  };
  void locale().then((lang) => {
    screen.print(t(lang, 'console.welcome'));
    promptMark();
  });
  const done = new Promise<void>((resolveDone) => {
    rl.on('line', (line) => {
      // One line at a time, in order: a form answer must not overtake the press that opened it.
      queue = queue.then(async () => {
        try {
          if ((await handle(line)) === 'quit') {
            screen.print(t(await locale(), 'console.bye'));
            rl.close();
            return;
          }
        } catch (err) {
          const reply = service.errorReply(await locale(), err);
          if (reply.type === 'error') screen.print(`⚠️ ${reply.text}`);
        }
        promptMark();
      });
    });
    rl.on('close', () => void queue.then(() => resolveDone()));
  });
  return { presenter, done, close: () => rl.close() };
}

/** A typed form answer: the prompt, or for Vary (Region) an area (number/id) or mask file plus an optional prompt. */
async function formAnswer(form: FormView, text: string): Promise<FormAnswer> {
  const regions = form.regions ?? [];
  if (!form.acceptsMask && regions.length === 0) return text ? { prompt: text } : {};
  const [first = '', ...rest] = text.split(/\s+/);
  const prompt = rest.join(' ').trim() || undefined;
  const byNumber = /^\d+$/.test(first) ? regions[Number(first) - 1] : undefined;
  const region = byNumber ?? regions.find((r) => r.id === first.toLowerCase());
  if (region) return { region: region.id, prompt };
  if (first && (await stat(first).then((s) => s.isFile(), () => false))) return { mask: new Uint8Array(await readFile(first)), prompt };
  return text ? { region: first, prompt } : {};
}

function safeUserName(): string {
  try {
    return userInfo().username || 'console';
  } catch {
    return 'console';
  }
}
