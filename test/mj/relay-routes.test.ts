/**
 * Relay routes: a mode/route segment at the end of MJ_BASE_URL is parsed, a user's mode replaces
 * its mode part and MJ_IMAGE_ROUTE its route part — for every mode × route, through the real
 * client against the simulator (which sees the path a relay would route on).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { parseRelayBase, routePrefix, type ImageRoute } from '../../src/mj/routes.js';
import type { SpeedMode } from '../../src/mj/schemas.js';
import { clientFor, closeAll, sim } from './sim-helpers.js';

afterEach(closeAll);

const MODES: (SpeedMode | undefined)[] = [undefined, 'fast', 'relax', 'turbo'];
const ROUTES: (ImageRoute | undefined)[] = [undefined, 'relay', 'origin', 'proxy'];
const segment = (mode?: SpeedMode, route?: ImageRoute) => (mode || route ? `/mj${mode ? `-${mode}` : ''}${route ? `-${route}` : ''}` : '');
const label = (v: string | undefined) => v ?? 'none';

/** Every base segment × every wanted mode × every wanted route. */
const CASES = MODES.flatMap((baseMode) =>
  ROUTES.flatMap((baseRoute) =>
    MODES.flatMap((wantMode) =>
      ROUTES.map((wantRoute) => ({ baseMode, baseRoute, wantMode, wantRoute })),
    ),
  ),
);

describe('relay base URL segments', () => {
  it.each(MODES.flatMap((mode) => ROUTES.map((route) => [mode, route] as const)))('parses /mj-%s-%s at the end of the base URL', (mode, route) => {
    const base = `https://relay.example/some/prefix${segment(mode, route)}`;
    expect(parseRelayBase(base)).toEqual({ root: 'https://relay.example/some/prefix', ...(mode ? { mode } : {}), ...(route ? { route } : {}) });
  });

  it('leaves a base URL without a segment alone, and drops a bare trailing /mj', () => {
    expect(parseRelayBase('https://relay.example/')).toEqual({ root: 'https://relay.example' });
    expect(parseRelayBase('https://relay.example/v1/mjx')).toEqual({ root: 'https://relay.example/v1/mjx' });
    expect(parseRelayBase('https://relay.example/mj')).toEqual({ root: 'https://relay.example' });
    expect(parseRelayBase('https://relay.example/MJ-Relax-Proxy/')).toEqual({ root: 'https://relay.example', mode: 'relax', route: 'proxy' });
  });

  it('builds /mj, /mj-<mode>/mj, /mj-<route>/mj and /mj-<mode>-<route>/mj', () => {
    expect(routePrefix(undefined, undefined)).toBe('/mj');
    expect(routePrefix('turbo', undefined)).toBe('/mj-turbo/mj');
    expect(routePrefix(undefined, 'proxy')).toBe('/mj-proxy/mj');
    expect(routePrefix('relax', 'origin')).toBe('/mj-relax-origin/mj');
  });

  it('MJ_IMAGE_ROUTE takes relay, origin or proxy and nothing else', () => {
    expect(parseConfig({ MJ_IMAGE_ROUTE: 'proxy' }).MJ_IMAGE_ROUTE).toBe('proxy');
    expect(parseConfig({ MJ_IMAGE_ROUTE: '' }).MJ_IMAGE_ROUTE).toBeUndefined();
    expect(() => parseConfig({ MJ_IMAGE_ROUTE: 'cdn' })).toThrow(/MJ_IMAGE_ROUTE: must be one of relay, origin, proxy/);
  });
});

describe('what reaches the relay', () => {
  it.each(CASES)('base $baseMode/$baseRoute, wanted mode $wantMode and route $wantRoute', async ({ baseMode, baseRoute, wantMode, wantRoute }) => {
    const s = await sim({ flavour: 'newapi' });
    const client = clientFor(s, { baseUrl: `${s.url}/relay${segment(baseMode, baseRoute)}`, flavour: 'newapi', mode: wantMode, route: wantRoute });
    await client.imagine({ prompt: `a fox ${label(wantMode)}` });
    const mode = wantMode ?? baseMode;
    const route = wantRoute ?? baseRoute;
    const posted = s.requests.filter((r) => r.method === 'POST').map((r) => r.path);
    expect(posted).toEqual([`/relay${segment(mode, route)}/mj/submit/imagine`]);
    // The relay files the task under the mode the path names (fast when none).
    expect(s.tasks()[0]?.mode).toBe((mode ?? 'fast').toUpperCase());
  });

  it('a user who picks relax on a /mj-turbo-proxy base gets /mj-relax-proxy, never a second segment', async () => {
    const s = await sim({ flavour: 'newapi' });
    const client = clientFor(s, { baseUrl: `${s.url}/mj-turbo-proxy`, flavour: 'newapi', mode: 'relax' });
    await client.imagine({ prompt: 'a quiet harbour' });
    const paths = s.requests.map((r) => r.path);
    expect(paths).toEqual(['/mj-relax-proxy/mj/submit/imagine']);
    expect(paths.join(' ')).not.toContain('/mj-turbo-proxy/mj-relax');
  });
});
