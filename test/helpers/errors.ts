/** The BotError a synchronous call throws (fails the test if it throws nothing or something else). */
import { BotError } from '../../src/errors.js';

export function thrownBotError(fn: () => unknown): BotError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BotError) return err;
    throw err;
  }
  throw new Error('expected an error');
}
