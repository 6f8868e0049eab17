/**
 * The adapter contract: what a user does and sees, the same on every adapter. Each driver plays
 * the user on its platform's real client path (typed lines, the fake Bot API, the fake Discord
 * gateway) and reports back in these neutral terms; journeys.test.ts runs the same journeys on all.
 */
import type { Simulator } from '../../src/sim/index.js';

/** A finished result message as its chat shows it. */
export interface ResultSeen {
  /** Platform handle of the message (message id, task id …). */
  ref: string;
  /** Button labels, as shown (Midjourney's own: U1, V2, Custom Zoom …). */
  buttons: string[];
  /** The result is a clip the platform shows natively (a video message, an attached MP4, a saved .mp4). */
  video: boolean;
}

/** A form step the bot asks. */
export interface FormSeen {
  ref: string;
  /** Everything the question shows (title, hint, the prefilled prompt). */
  text: string;
}

export type Who = 'owner' | 'other';

export interface ContractDriver {
  readonly name: string;
  /** The embedded MJ proxy behind this bot (to check what reached it). */
  readonly sim: Simulator;
  /** Does the platform have chats several people share (owner-only presses)? */
  readonly groups: boolean;
  /** Does cancelling a form show a confirmation (a Discord modal is dismissed on the client instead)? */
  readonly confirmsCancel: boolean;
  /** `who` asks for a drawing (in the shared chat where there is one); resolves with the finished result. */
  imagine(who: Who, prompt: string): Promise<ResultSeen>;
  /** Press a result's button that starts new work; resolves with the new finished result. */
  pressForResult(who: Who, result: ResultSeen, label: string): Promise<ResultSeen>;
  /** Press a result's button that asks a question; resolves with the question. */
  pressForForm(who: Who, result: ResultSeen, label: string): Promise<FormSeen>;
  /** Cancel the form; resolves with the confirmation shown (undefined where there is none). */
  cancelForm(who: Who, form: FormSeen): Promise<string | undefined>;
  /** Press as someone who may not; resolves with the refusal only the presser sees. */
  pressRefused(who: Who, result: ResultSeen, label: string): Promise<string>;
  /** Send /imagine with `text` as the prompt, expecting a refusal; resolves with its text. */
  imagineRefused(who: Who, text: string): Promise<string>;
  /**
   * The bot stops as if it had crashed right after showing `result`, before saving that it did,
   * and starts again — so it delivers that result once more. Resolves once it has, with the
   * finished results the chat then shows for `prompt`.
   */
  redeliver(result: ResultSeen, prompt: string): Promise<ResultSeen[]>;
  close(): Promise<void>;
}
