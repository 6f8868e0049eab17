/**
 * Authentication per flavour (docs/protocol.md#authentication).
 * OSS/Plus: `mj-api-secret` only. trueai: `Authorization` verbatim if present, else `mj-api-secret`
 * (no "Bearer " stripping). new-api: `Authorization` with optional "Bearer " and "sk-", falling
 * back to `mj-api-secret` when Authorization is empty or "midjourney-proxy".
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SimAnswer } from './flavours.js';
import type { SimFlavour } from './types.js';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function stripNewApiKey(value: string): string {
  let key = value.trim();
  if (key.startsWith('Bearer ')) key = key.slice('Bearer '.length).trim();
  if (key.startsWith('sk-')) key = key.slice('sk-'.length);
  return key;
}

/** True when the request carries the key in a way this flavour accepts. */
export function isAuthorized(flavour: SimFlavour, apiKey: string | undefined, headers: IncomingHttpHeaders): boolean {
  if (apiKey === undefined || apiKey === '') return true;
  const secret = header(headers, 'mj-api-secret');
  const authorization = header(headers, 'authorization');
  switch (flavour) {
    case 'oss':
    case 'plus':
      return secret === apiKey;
    case 'trueai':
      return (authorization ?? secret) === apiKey;
    case 'newapi': {
      const raw = authorization === undefined || authorization === '' || authorization === 'midjourney-proxy' ? secret : authorization;
      return raw !== undefined && stripNewApiKey(raw) === stripNewApiKey(apiKey);
    }
  }
}

/** The flavour's answer to a request that failed authentication. */
export function unauthorizedAnswer(flavour: SimFlavour): SimAnswer {
  switch (flavour) {
    case 'oss':
    case 'plus':
      return { status: 401, body: '' };
    case 'trueai':
      return { status: 401, body: 'Authorization header missing.', contentType: 'text/plain; charset=utf-8' };
    case 'newapi':
      return {
        status: 401,
        body: JSON.stringify({ error: { message: '无效的令牌 (request id: sim)', type: 'new_api_error' } }),
      };
  }
}
