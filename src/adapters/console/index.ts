/**
 * The console adapter (`npm start` without a chat token): one terminal user against the MJ
 * service. Lines are commands (`/imagine …`, `blend a.png b.png`), button labels (`U2`,
 * `Custom Zoom`, `1`), form answers, or — anything else — a prompt to draw. A line may start
 * with an absolute file path (`/tmp/mask.png`): that is a file, not a command. A /command typed
 * while a form waits for its answer cancels the form (and says so), then runs.
 */
import { createInterface, type Interface } from 'node:readline';
import { allCommands, findCommand } from '../../../commands/index.js';
import type { Command } from '../../../commands/types.js';
import type { FormView, Locale } from '../../core/domain/types.js';
import type { Adapter, AdapterDeps } from '../../core/service/adapter.js';
import { buildConsoleInput, classifyLine, formAnswer } from './input.js';
import { consoleOrigin, safeUserName } from './origin.js';
import { ConsolePresenter, ConsoleScreen } from './presenter.js';
import { showReply } from './replies.js';
import { t } from './texts.js';

export interface ConsoleConfig {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Where finished images are saved. */
  outputDir: string;
  userName?: string;
  /** Print a "> " prompt after each line. */
  prompt?: boolean;
  /** Minimum gap between two progress lines of one task (default 300 ms). */
  minUpdateIntervalMs?: number;
  /** Commands to serve (default: all of commands/). */
  commands?: readonly Command[];
}

export interface ConsoleAdapter extends Adapter {
  readonly presenter: ConsolePresenter;
  /** Resolves when the input ends or the user types /quit. */
  readonly done: Promise<void>;
}

const QUIT = new Set(['/quit', '/exit', 'quit', 'exit']);
const OPEN_WORDS = new Set(['remix', 'open', '打开']);
const BUTTON_LIKE = /^(?:[uv][1-4]|reroll)(?:\s+\d+)?$/i;

export function createConsoleAdapter(deps: AdapterDeps, config: ConsoleConfig): ConsoleAdapter {
  const { service } = deps;
  const commands = config.commands ?? allCommands;
  const screen = new ConsoleScreen(config.output, service, config.outputDir);
  const presenter = new ConsolePresenter(screen, deps.state, config.minUpdateIntervalMs ?? 300);
  service.attach(presenter);
  const origin = consoleOrigin(config.userName ?? safeUserName(), deps.locale);
  const locale = (): Promise<Locale> => service.localeOf(origin);
  /** A form waiting for the next typed line. */
  let pending: FormView | undefined;

  const show = async (reply: Parameters<typeof showReply>[1]): Promise<void> => {
    const form = await showReply(screen, reply, await locale());
    if (form) pending = form;
  };

  const answer = async (form: FormView, text: string): Promise<void> => {
    if (text.toLowerCase() === 'cancel' || text === '取消') {
      pending = undefined;
      return show(await service.cancelForm(form.formId, origin));
    }
    const reply = await service.answerForm(form.formId, await formAnswer(form, text), origin);
    // A bad answer (e.g. --zoom out of range) can be typed again; anything else ends the form.
    if (!(reply.type === 'error' && (reply.code === 'BAD_INPUT' || reply.code === 'IMAGE_INVALID'))) pending = undefined;
    await show(reply);
  };

  /** A command takes over from an open form: the form is cancelled, and the user told so. */
  const leaveForm = async (form: FormView, command: string): Promise<void> => {
    pending = undefined;
    await service.cancelForm(form.formId, origin);
    screen.print(`ℹ️ ${t(await locale(), 'console.formCancelled', { title: form.title, name: command })}`);
  };

  const runCommand = async (name: string, rest: string): Promise<void> => {
    const command = findCommand(name, commands);
    const lang = await locale();
    if (!command) return screen.print(`⚠️ ${t(lang, 'console.unknownCommand', { name })}`);
    const built = await buildConsoleInput(command, rest);
    if (!built.ok) return screen.print(`⚠️ ${t(lang, 'console.fileNotFound', { path: built.missing })}`);
    await show(await command.execute(built.input, { service, origin, locale: lang, replyToTaskId: screen.lastTaskId, commands }));
  };

  const handle = async (line: string): Promise<'quit' | void> => {
    const text = line.trim();
    if (QUIT.has(text.toLowerCase())) return 'quit';
    const kind = await classifyLine(text, (name) => findCommand(name, commands) !== undefined);
    if (kind.kind === 'missing-file') return screen.print(`⚠️ ${t(await locale(), 'console.fileNotFound', { path: kind.path })}`);
    if (kind.kind === 'unknown-command') {
      screen.print(`⚠️ ${t(await locale(), 'console.unknownCommand', { name: kind.name })}`);
      if (pending) screen.print(`  ${t(await locale(), 'console.formStillOpen', { title: pending.title })}`);
      return;
    }
    if (pending && kind.kind !== 'command') return answer(pending, text);
    if (!text) return;
    const first = text.split(/\s+/)[0] ?? '';
    const rest = text.slice(first.length).trim();
    if (kind.kind === 'command') {
      // /cancel is the one command meant for the open step (the service finds and cancels it).
      if (pending && kind.name === 'cancel') pending = undefined;
      else if (pending) await leaveForm(pending, kind.name);
      return runCommand(kind.name, rest);
    }
    // A line that starts with an image file is a prompt with that image.
    if (kind.kind === 'path') return runCommand('imagine', text);
    // A button's label before a bare command name: "Animate (High motion)" is the button, not /animate.
    const button = screen.findButton(text);
    if (button) return show(await service.press(button.payload, origin));
    const bare = findCommand(first, commands);
    if (bare && !bare.hidden) return runCommand(first, rest);
    if (screen.offered && OPEN_WORDS.has(text.toLowerCase())) return show(await service.press(screen.offered.openPayload, origin));
    // "U2" before any result has a U2 is a mistimed press, not a prompt worth drawing.
    if (BUTTON_LIKE.test(text)) return screen.print(`⚠️ ${t(await locale(), 'console.noButton', { label: text })}`);
    return runCommand('imagine', text);
  };

  let rl: Interface | undefined;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const promptMark = () => {
    if (config.prompt) config.output.write('> ');
  };

  return {
    platform: 'console',
    presenter,
    done,
    async start() {
      const reader = createInterface({ input: config.input, terminal: false });
      rl = reader;
      // One line at a time, in order: a form answer must not overtake the press that opened it.
      let queue: Promise<void> = (async () => {
        screen.print(t(await locale(), 'console.welcome'));
        promptMark();
      })();
      reader.on('line', (line) => {
        queue = queue.then(async () => {
          try {
            if ((await handle(line)) === 'quit') {
              screen.print(t(await locale(), 'console.bye'));
              reader.close();
              return;
            }
          } catch (err) {
            screen.print(`⚠️ ${service.errorReply(await locale(), err).text}`);
          }
          promptMark();
        });
      });
      reader.on('close', () => void queue.then(() => resolveDone()));
      await queue;
    },
    async close() {
      rl?.close();
    },
  };
}
