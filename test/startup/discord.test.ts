/**
 * `npm start` and `npm run deploy-commands` with a Discord token that cannot work end with one
 * line naming the setting: a token Discord rejects, an API that refuses connections.
 */
import { afterEach, describe, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { killAllBots } from '../helpers/bot-process.js';
import { freePort } from '../helpers/net.js';
import { expectOneLine, failedStart } from './helpers.js';

const WRONG_TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.wrong.token-for-the-fake-discord';
const DEPLOY = 'src/adapters/discord/deploy.ts';
let fake: FakeDiscord | undefined;

afterEach(async () => {
  await killAllBots();
  await fake?.close();
  fake = undefined;
});

describe('npm start with Discord', () => {
  it('a token Discord rejects ends start-up with one line that says where to copy it again', async () => {
    fake = await startFakeDiscord();
    const exit = await failedStart({ DISCORD_TOKEN: WRONG_TOKEN, DISCORD_API_BASE: fake.apiBase });
    expectOneLine(exit, /^DISCORD_TOKEN was rejected by the Discord API at 127\.0\.0\.1:\d+ \(DISCORD_API_BASE\) \(401\): copy the bot token from the developer portal again/, [WRONG_TOKEN]);
  });

  it('an API that refuses connections is named with the reason', async () => {
    const exit = await failedStart({ DISCORD_TOKEN: WRONG_TOKEN, DISCORD_API_BASE: `http://127.0.0.1:${await freePort()}/api` });
    expectOneLine(exit, /^the Discord API at 127\.0\.0\.1:\d+ \(DISCORD_API_BASE\) cannot be reached \(connection refused\) while logging in with DISCORD_TOKEN: check that server and DISCORD_API_BASE$/, [WRONG_TOKEN]);
  });
});

describe('npm run deploy-commands', () => {
  it('a rejected token is one line and exit code 1, not a DiscordAPIError', async () => {
    fake = await startFakeDiscord();
    const exit = await failedStart({ DISCORD_TOKEN: WRONG_TOKEN, DISCORD_API_BASE: fake.apiBase, DISCORD_GUILD_ID: fake.guildId }, DEPLOY);
    expectOneLine(exit, /^DISCORD_TOKEN was rejected by the Discord API at 127\.0\.0\.1:\d+ \(DISCORD_API_BASE\) \(401\): copy the bot token/, [WRONG_TOKEN]);
  });

  it('a guild the bot is not in is named as DISCORD_GUILD_ID', async () => {
    fake = await startFakeDiscord();
    const exit = await failedStart({ DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase, DISCORD_GUILD_ID: '999999999999999999' }, DEPLOY);
    expectOneLine(exit, /^DISCORD_GUILD_ID 999999999999999999: the Discord API at 127\.0\.0\.1:\d+ \(DISCORD_API_BASE\) refused the slash commands for that server \(403\)/, [fake.token]);
  });
});
