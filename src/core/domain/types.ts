/**
 * Platform-neutral contracts between the shared MJ service and the chat adapters
 * (src/adapters/*). Everything here is plain data so it can be stored and survives restarts.
 */
import type { ErrorCode } from '../../errors.js';

export type Platform = 'telegram' | 'discord' | 'console';
export const LOCALES = ['en', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];

/** A conversation: a Telegram chat, a Discord channel, the console. */
export interface ChatRef {
  platform: Platform;
  chatId: string;
  /** Group chats / guild channels: several people share results. */
  isGroup: boolean;
  guildId?: string;
}

/** Who did something. */
export interface Actor {
  userId: string;
  name: string;
  locale: Locale;
  /** Chat/guild admin (platform-reported); bot admins come from config. */
  isChatAdmin?: boolean;
}

/**
 * Where a command, button press or form answer came from. `platformData` is opaque, JSON-safe
 * data the adapter needs to answer in place (e.g. a Discord interaction id/token).
 */
export interface Origin {
  chat: ChatRef;
  actor: Actor;
  /** Message to reply to (the user's command message), if any. */
  replyTo?: string;
  platformData?: Record<string, string | number | boolean | undefined>;
}

/** A message the bot owns; stored with the task so updates survive restarts. */
export interface MessageRef {
  chat: ChatRef;
  messageId: string;
  platformData?: Record<string, string | number | boolean | undefined>;
}

/** An image an adapter can show; bytes come from `MjService.loadImage`. */
export interface ImageRef {
  url: string;
  taskId: string;
  /** A preview shown while drawing (may be low-res / webp). */
  preview?: boolean;
}

export type ButtonStyle = 'primary' | 'secondary' | 'success' | 'danger';

/** A button as the user sees it. `payload` fits Telegram callback_data (≤ 64 bytes) and Discord custom_id (≤ 100). */
export interface ButtonView {
  payload: string;
  /** Midjourney's own label (U1, V2, Upscale (Subtle) …) — never translated. May be '' when emoji-only. */
  label: string;
  emoji?: string;
  style: ButtonStyle;
}

export type TaskPhase = 'submitting' | 'queued' | 'progress' | 'waiting-input' | 'result' | 'failed';

/** What a task's message shows at one moment. Strings are already localized. */
export interface TaskView {
  phase: TaskPhase;
  taskId?: string;
  locale: Locale;
  /** Localized one-line status, e.g. "Queued: 2 ahead of you", "Drawing… 54%". */
  headline: string;
  /** The prompt (or a description of the job, e.g. "Blend of 3 images"). */
  prompt: string;
  /** Display name of who asked. */
  requester: string;
  /** 0–100 while drawing. */
  percent?: number;
  queuePosition?: number;
  image?: ImageRef;
  /** A video task's clip (bytes from `MjService.loadVideo`): shown as a video, with the buttons under it; `image` is then its still. */
  video?: ImageRef;
  /** Result buttons laid out like Midjourney's rows. */
  rows: ButtonView[][];
  /** Extra text: describe/shorten results, failure reason, seed. */
  detail?: string;
  /** Final states are never dropped by coalescing. */
  final: boolean;
  /** Not final, but not to be dropped for flood control either (a job's first place in line: nothing else would update its message until it starts). */
  keep?: boolean;
}

/** A step that needs more input from the user (Custom Zoom, Vary Region, remix, describe → imagine). */
export interface FormView {
  formId: string;
  locale: Locale;
  /** Who is asked (only they may answer, unless the chat is collaborative). */
  owner: Pick<Actor, 'userId' | 'name'>;
  /** ≤ 45 characters (Discord modal title limit). */
  title: string;
  /** Localized explanation of what is expected. */
  hint: string;
  /** Editable prompt, prefilled. */
  prompt?: { label: string; value: string; maxLength: number; placeholder?: string };
  /** Vary (Region) presets (id + localized label). */
  regions?: { id: string; label: string }[];
  /** A black-and-white mask image is accepted as the answer. */
  acceptsMask?: boolean;
  /** Signed payloads for the form's buttons (Telegram inline keyboard, Discord buttons). */
  cancelPayload: string;
  /** Payload of a button that opens the form (used when the form appears after the button press, e.g. remix). */
  openPayload: string;
  /** Payload prefix for region choices: `regionPayloads[id]`. */
  regionPayloads?: Record<string, string>;
}

/** What the service answers a command / press / form with. */
export type Reply =
  /** A task was submitted; its message is opened and kept up to date through the Presenter. */
  | { type: 'task'; taskId?: string; ref?: MessageRef }
  /** Ask the user for more input (Discord modal, Telegram ForceReply, console question). */
  | { type: 'form'; form: FormView }
  /** Plain answer (help, settings, seed, task status…). `ephemeral` = only the actor should see it. */
  | { type: 'message'; text: string; rows?: ButtonView[][]; image?: ImageRef; images?: ImageRef[]; ephemeral?: boolean; replace?: boolean }
  /** Something went wrong; `text` is localized and safe to show. */
  | { type: 'error'; code: ErrorCode; text: string };

/** Cheap, network-free check of a button press, so adapters can show a modal at once. */
export type PressPlan =
  | { type: 'form'; form: FormView }
  | { type: 'run' }
  | { type: 'error'; code: ErrorCode; text: string };

/** Form answer from the user. */
export interface FormAnswer {
  prompt?: string;
  region?: string;
  /** Raw bytes of an uploaded black-and-white mask image (PNG; send it as a file on Telegram). */
  mask?: Uint8Array;
}

/** Loaded image bytes for upload. */
export interface LoadedImage {
  bytes: Buffer;
  mime: string;
  fileName: string;
  width?: number;
  height?: number;
}
