/**
 * Why the Discord adapter (or `npm run deploy-commands`) could not start, as the one start-up
 * line (src/startup.ts): the setting, what went wrong, what to do. Never the token, never a
 * request body.
 */
import { DiscordAPIError, DiscordjsError, DiscordjsErrorCodes, HTTPError } from 'discord.js';
import { StartupError } from '../../errors.js';
import { failureReason, hostOf, seconds } from '../../startup.js';

/** What was being done: logging in (token check, gateway), or reading/writing the slash commands. */
export type DiscordStep = 'login' | 'commands';

export interface DiscordStartContext {
  /** DISCORD_API_BASE, when set. */
  apiBase?: string;
  guildId?: string;
  /** The start-up bound ran out. */
  timedOut: boolean;
  limitMs: number;
}

const DEFAULT_HOST = 'discord.com';
const TOKEN_FIX = 'copy the bot token from the developer portal again (Bot → Reset Token)';

export function startupFailure(step: DiscordStep, err: unknown, ctx: DiscordStartContext): StartupError {
  const host = ctx.apiBase ? hostOf(ctx.apiBase) : DEFAULT_HOST;
  const where = ctx.apiBase ? `the Discord API at ${host} (DISCORD_API_BASE)` : `Discord (${host})`;
  const doing = step === 'login' ? 'logging in with DISCORD_TOKEN' : 'registering the slash commands';
  if (ctx.timedOut || isNetworkError(err)) {
    const why = ctx.timedOut ? `no answer within ${seconds(ctx.limitMs)}` : (failureReason(err) ?? causeText(err));
    const fix = ctx.apiBase ? 'check that server and DISCORD_API_BASE' : `check this machine's network access to ${host}`;
    return new StartupError(ctx.apiBase ? 'DISCORD_API_BASE' : 'DISCORD_TOKEN', `${where} cannot be reached (${why}) while ${doing}: ${fix}`, { cause: err });
  }
  const status = err instanceof DiscordAPIError || err instanceof HTTPError ? err.status : undefined;
  if ((err instanceof DiscordjsError && err.code === DiscordjsErrorCodes.TokenInvalid) || status === 401) {
    return new StartupError('DISCORD_TOKEN', `DISCORD_TOKEN was rejected by ${where} (401): ${TOKEN_FIX}`, { cause: err });
  }
  if (step === 'commands' && status === 403 && ctx.guildId) {
    return new StartupError(
      'DISCORD_GUILD_ID',
      `DISCORD_GUILD_ID ${ctx.guildId}: ${where} refused the slash commands for that server (403): invite the bot there with the applications.commands scope, or fix DISCORD_GUILD_ID`,
      { cause: err },
    );
  }
  if (err instanceof DiscordAPIError) {
    return new StartupError('DISCORD_TOKEN', `${where} refused ${doing} (${err.status}, code ${String(err.code)}: ${err.message.split('\n')[0]})`, { cause: err });
  }
  if (status) return new StartupError('DISCORD_TOKEN', `${where} failed while ${doing} (HTTP ${status}): try again later`, { cause: err });
  const name = err instanceof DiscordjsError ? err.code : err instanceof Error ? err.name : 'unknown error';
  return new StartupError('DISCORD_TOKEN', `the Discord adapter could not start while ${doing} (${name})`, { cause: err });
}

/** fetch's "fetch failed" TypeError (cause: ECONNREFUSED, "bad port" …) or an aborted request. */
function isNetworkError(err: unknown): boolean {
  if (!(err instanceof Error) || err instanceof DiscordAPIError || err instanceof HTTPError || err instanceof DiscordjsError) return false;
  return err.name === 'AbortError' || (err instanceof TypeError && err.message === 'fetch failed') || failureReason(err) !== undefined;
}

/** fetch says only "fetch failed"; its cause says why. */
function causeText(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  return cause instanceof Error && cause.message.length <= 80 ? cause.message : 'network error';
}
