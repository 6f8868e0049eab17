/**
 * Telegram's reachability: the one start-up line for each way starting can fail (src/startup.ts),
 * and a transformer that notices when calls stop getting through — one warning per outage, one
 * line when Telegram answers again — so an outage is visible in the log and on /healthz.
 */
import { GrammyError, HttpError, type Transformer } from 'grammy';
import { StartupError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { failureReason, hostOf, seconds } from '../../startup.js';

/** What start() was doing: checking the token (getMe), setting the webhook, or preparing long polling. */
export type StartStep = 'token' | 'webhook' | 'polling';

export interface StartContext {
  apiRoot: string;
  /** TELEGRAM_API_ROOT was set (another Bot API server). */
  customRoot: boolean;
  /** The start-up bound ran out. */
  timedOut: boolean;
  limitMs: number;
}

const STEP_SETTING: Record<StartStep, string> = { token: 'TELEGRAM_BOT_TOKEN', webhook: 'TELEGRAM_WEBHOOK_URL', polling: 'TELEGRAM_BOT_TOKEN' };

/** The start-up failure line for an error of `step`. Never the token, never a request payload. */
export function startupFailure(step: StartStep, err: unknown, ctx: StartContext): StartupError {
  const setting = STEP_SETTING[step];
  const host = hostOf(ctx.apiRoot);
  const where = ctx.customRoot ? `the Bot API server at ${host} (TELEGRAM_API_ROOT)` : `Telegram (${host})`;
  if (ctx.timedOut || err instanceof HttpError) {
    const why = ctx.timedOut ? `no answer within ${seconds(ctx.limitMs)}` : (failureReason(err) ?? 'network error');
    const fix = ctx.customRoot ? 'check that server and TELEGRAM_API_ROOT' : `check this machine's network access to ${host}`;
    return new StartupError(ctx.customRoot ? 'TELEGRAM_API_ROOT' : setting, `${where} cannot be reached (${why}) while checking ${setting}: ${fix}`, { cause: err });
  }
  if (err instanceof GrammyError) {
    const answer = `${err.error_code}: ${err.description}`;
    // A malformed token is answered 404, a wrong one 401.
    if (err.error_code === 401 || err.error_code === 404) {
      return new StartupError('TELEGRAM_BOT_TOKEN', `TELEGRAM_BOT_TOKEN was rejected by ${where} (${err.error_code}): copy the token from @BotFather again`, { cause: err });
    }
    if (step === 'webhook') {
      return new StartupError(
        'TELEGRAM_WEBHOOK_URL',
        `TELEGRAM_WEBHOOK_URL was refused by ${where} (${answer}): give a public HTTPS URL (port 443, 80, 88 or 8443) that reaches HTTP_PORT, or unset it to use long polling`,
        { cause: err },
      );
    }
    return new StartupError(setting, `${where} refused to start the bot (${answer}) while checking ${setting}: try again later, or check the token with @BotFather`, { cause: err });
  }
  return new StartupError(setting, `the Telegram adapter could not start while checking ${setting} (${err instanceof Error ? err.name : 'unknown error'})`, { cause: err });
}

/** Calls that did not get through: no connection, or Telegram's front end failing (5xx). */
function isOutage(result: { ok: boolean; error_code?: number } | undefined, err: unknown): boolean {
  return err instanceof HttpError || (result !== undefined && !result.ok && (result.error_code ?? 0) >= 500);
}

export interface OutageWatch {
  /** Innermost transformer: sees every attempt, retries included. */
  readonly transformer: Transformer;
  /** Calls are failing right now. */
  readonly down: boolean;
}

/**
 * Logs the first failing call of an outage as a warning and the first call that works again —
 * once `running()`: a failure while starting ends the start with its own line instead.
 */
export function watchOutages(logger: Logger, running: () => boolean): OutageWatch {
  let down = false;
  const failed = (method: string, reason: string): void => {
    if (!down && running()) logger.warn({ method, reason }, `telegram cannot be reached (${reason}); retrying`);
    down = true;
  };
  const transformer: Transformer = async (prev, method, payload, signal) => {
    try {
      const result = await prev(method, payload, signal);
      if (!result.ok && isOutage(result, undefined)) failed(method, `${result.error_code}: ${result.description}`);
      else if (down) {
        down = false;
        if (running()) logger.info({ method }, 'telegram reachable again');
      }
      return result;
    } catch (err) {
      if (isOutage(undefined, err) && !signal?.aborted) failed(method, failureReason(err) ?? 'network error');
      throw err;
    }
  };
  return {
    transformer,
    get down() {
      return down;
    },
  };
}
