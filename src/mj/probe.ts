/**
 * Cheap, side-effect-free detection of the proxy flavour (docs/protocol.md#flavour-detection):
 * fetching an impossible task id answers differently in each implementation, and an empty
 * /submit/action tells OSS (no such endpoint) from Plus (validation error, nothing created).
 */
import type { Flavour } from './capabilities.js';
import { badResponse, toMjError, type HttpAnswer, type MjTransport } from './http.js';

/** A 16-digit id no proxy ever issues (ids are epoch-ms + 3 digits). */
export const PROBE_TASK_ID = '0000000000000000';

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const cannotTell = (endpoint: string, status: number) => badResponse(endpoint, status, `cannot tell the proxy flavour from HTTP ${status}`);

/** Throws the mapped error for auth/5xx/rate-limit answers, so the caller sees the real problem. */
function rethrowIfHardError(answer: HttpAnswer, endpoint: string, secrets: readonly string[]): void {
  const { status } = answer;
  if (status === 401 || status === 403 || status === 429 || status >= 500) {
    const err = toMjError(answer, endpoint, secrets);
    if (err) throw err;
  }
}

/** Detects the flavour with at most two requests. */
export async function probeFlavour(transport: MjTransport): Promise<Flavour> {
  const fetchPath = `/task/${PROBE_TASK_ID}/fetch`;
  const fetchEndpoint = transport.endpoint('GET', fetchPath);
  const fetched = await transport.send('GET', fetchPath);
  rethrowIfHardError(fetched, fetchEndpoint, transport.secrets);
  if (fetched.status === 204) return 'trueai';
  if (fetched.status === 400 && isDict(fetched.json) && fetched.json.type === 'upstream_error') return 'newapi';
  if (fetched.status !== 200 || fetched.text.trim() !== '') throw cannotTell(fetchEndpoint, fetched.status);

  const actionPath = '/submit/action';
  const actionEndpoint = transport.endpoint('POST', actionPath);
  const acted = await transport.send('POST', actionPath, {});
  rethrowIfHardError(acted, actionEndpoint, transport.secrets);
  if (acted.status === 404 && !(isDict(acted.json) && 'code' in acted.json)) return 'oss';
  if (isDict(acted.json) && Number(acted.json.code) === 4) return 'plus';
  throw cannotTell(actionEndpoint, acted.status);
}
