/**
 * Relay routes (docs/protocol.md#relay-routes). Relays pick the speed mode by a path segment
 * before `/mj` (`/mj-fast`, `/mj-relax`, `/mj-turbo`) and some also pick how image links come
 * back by a suffix (`/mj-relax-proxy`, `/mj-turbo-origin`, `/mj-fast-relay`, or `/mj-proxy`
 * with no mode). Operators paste the base URL with such a segment; the bot must then replace
 * the mode part with a user's choice instead of stacking a second segment after it.
 */
import { SPEED_MODES, type SpeedMode } from './schemas.js';

export const IMAGE_ROUTES = ['relay', 'origin', 'proxy'] as const;
/** How a relay hands out image links: through itself, the original CDN link, or its CDN proxy. */
export type ImageRoute = (typeof IMAGE_ROUTES)[number];

export interface RelayBase {
  /** The base URL without the mode/route segment (no trailing slash). */
  root: string;
  mode?: SpeedMode;
  route?: ImageRoute;
}

const SEGMENT = new RegExp(`^mj(?:-(${SPEED_MODES.join('|')}))?(?:-(${IMAGE_ROUTES.join('|')}))?$`, 'i');

/** Split a trailing `/mj[-mode][-route]` segment off a base URL (a bare trailing `/mj` is dropped too). */
export function parseRelayBase(baseUrl: string): RelayBase {
  const url = new URL(baseUrl);
  const parts = url.pathname.split('/').filter(Boolean);
  const match = SEGMENT.exec(parts.at(-1) ?? '');
  if (match) parts.pop();
  url.pathname = parts.length ? `/${parts.join('/')}` : '/';
  const root = url.href.replace(/\/$/, '');
  const mode = match?.[1]?.toLowerCase() as SpeedMode | undefined;
  const route = match?.[2]?.toLowerCase() as ImageRoute | undefined;
  return { root, ...(mode ? { mode } : {}), ...(route ? { route } : {}) };
}

/** The path before every endpoint: `/mj`, `/mj-relax/mj`, `/mj-proxy/mj`, `/mj-turbo-origin/mj`. */
export function routePrefix(mode: SpeedMode | undefined, route: ImageRoute | undefined): string {
  if (!mode && !route) return '/mj';
  return `/mj${mode ? `-${mode}` : ''}${route ? `-${route}` : ''}/mj`;
}

/**
 * Root and prefix for a client: the mode asked for (a user's, MJ_MODE) replaces the base URL's
 * own mode; MJ_IMAGE_ROUTE replaces its route. What is not asked for keeps the base URL's part.
 */
export function resolveRoute(baseUrl: string, want: { mode?: SpeedMode; route?: ImageRoute }): { root: string; prefix: string } {
  const base = parseRelayBase(baseUrl);
  return { root: base.root, prefix: routePrefix(want.mode ?? base.mode, want.route ?? base.route) };
}
