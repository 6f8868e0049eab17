/**
 * /imagine's choices on Discord end to end: aspect ratio, model (incl. Niji) and speed are
 * registered with Chinese names, and a slash command with them reaches the proxy as prompt
 * parameters, bot type and the mode path — with the prompt's own parameters winning.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.js';
import { toSlashCommands } from '../../src/adapters/discord/commands.js';
import { embedOf, resultOf, startStack, type DiscordStack } from './harness.js';

let stack: DiscordStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

interface Choice { name: string; value: string; name_localizations?: Record<string, string> }
interface Option { name: string; description: string; required?: boolean; choices?: Choice[]; description_localizations?: Record<string, string> }

const imagineOptions = () => (toSlashCommands(allCommands).find((c) => c.name === 'imagine')?.options ?? []) as Option[];
const str = (name: string, value: string) => ({ name, type: 3, value });
const imagines = (s: DiscordStack) => s.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/submit/imagine'));

describe('/imagine options on Discord', () => {
  it('registers aspect ratio, model and speed as choices with Chinese names, after the prompt', () => {
    const options = imagineOptions();
    expect(options[0]).toMatchObject({ name: 'prompt', required: true });
    const byName = Object.fromEntries(options.map((o) => [o.name, o]));
    expect(byName.ar?.choices?.map((c) => c.value)).toEqual(['1:1', '2:3', '3:2', '16:9', '9:16']);
    expect(byName.ar?.choices?.find((c) => c.value === '16:9')).toMatchObject({ name: 'Widescreen 16:9', name_localizations: { 'zh-CN': '宽屏 16:9' } });
    expect(byName.ar?.description).toMatch(/--ar in the prompt wins/);
    expect(byName.ar?.description_localizations?.['zh-CN']).toMatch(/--ar 优先/);
    expect(byName.model?.choices?.map((c) => c.value)).toEqual(['v7', 'v6.1', 'niji6']);
    expect(byName.model?.choices?.find((c) => c.value === 'niji6')?.name_localizations?.['zh-CN']).toBe('Niji 6（动漫）');
    expect(byName.speed?.choices?.map((c) => [c.value, c.name_localizations?.['zh-CN']])).toEqual([['fast', '快速'], ['relax', '慢速'], ['turbo', '极速']]);
    for (const o of options) expect(o.description.length).toBeLessThanOrEqual(100);
  });

  it('the choices become prompt parameters, the Niji bot and the relax path', async () => {
    const s = (stack = await startStack());
    const handle = s.fake.slash({ name: 'imagine', options: [str('prompt', 'a fox in the snow'), str('ar', '16:9'), str('model', 'niji6'), str('speed', 'relax')] });
    const result = await resultOf(s.fake, handle);
    const [sent] = imagines(s);
    expect(sent?.path).toBe('/mj-relax/mj/submit/imagine');
    expect(sent?.body).toMatchObject({ prompt: 'a fox in the snow --ar 16:9 --niji 6', botType: 'NIJI_JOURNEY' });
    expect(s.sim.tasks()[0]?.mode).toBe('RELAX');
    expect(embedOf(result)?.description).toContain('a fox in the snow --ar 16:9 --niji 6');
  });

  it('what the prompt says wins over the choices: --ar, --v and an inline speed flag', async () => {
    const s = (stack = await startStack());
    const handle = s.fake.slash({ name: 'imagine', options: [str('prompt', 'a castle --ar 2:3 --v 6.1 --turbo'), str('ar', '16:9'), str('model', 'v7'), str('speed', 'relax')] });
    await resultOf(s.fake, handle);
    const [sent] = imagines(s);
    expect(sent?.path).toBe('/mj-turbo/mj/submit/imagine');
    expect(sent?.body).toMatchObject({ prompt: 'a castle --ar 2:3 --v 6.1 --turbo', botType: 'MID_JOURNEY' });
  });

  it('a model choice overrides the /settings default; without choices the defaults apply', async () => {
    const s = (stack = await startStack());
    const settings = s.fake.slash({ name: 'settings', options: [str('args', 'bot niji ar 9:16')] });
    await s.fake.waitUntil(() => settings.ephemeralReplies().length > 0, 5000, 'settings saved');
    await resultOf(s.fake, s.fake.slash({ name: 'imagine', options: [str('prompt', 'a cat'), str('model', 'v7')] }));
    await resultOf(s.fake, s.fake.slash({ name: 'imagine', options: [str('prompt', 'a dog')] }));
    const bodies = imagines(s).map((r) => r.body);
    expect(bodies).toEqual([
      expect.objectContaining({ prompt: 'a cat --ar 9:16 --v 7', botType: 'MID_JOURNEY' }),
      expect.objectContaining({ prompt: 'a dog --ar 9:16', botType: 'NIJI_JOURNEY' }),
    ]);
  });
});
