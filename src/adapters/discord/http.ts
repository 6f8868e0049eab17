/**
 * HTTP for discord.js. @discordjs/rest sends uploads as a FormData through undici 6's `request`,
 * which dispatches on the process-wide undici dispatcher. When the app's undici 7 (MJ client,
 * image downloads) was loaded first, that dispatcher is an undici 7 Agent, which does not
 * recognise undici 6's FormData and fails every upload ("action is not a function"). So bodies
 * are encoded to bytes first and sent with the global fetch, whose Response is what
 * @discordjs/rest expects (it is the documented `makeRequest: fetch` strategy).
 */
import type { RESTOptions } from 'discord.js';

type MakeRequest = RESTOptions['makeRequest'];

export const makeRequest: MakeRequest = async (url, init) => {
  let body: unknown = init.body;
  let headers = init.headers as Record<string, string> | undefined;
  if (body instanceof FormData) {
    // Node's own encoder writes the multipart body (boundary included).
    const encoded = new Response(body);
    headers = { ...headers, 'content-type': encoded.headers.get('content-type') ?? 'multipart/form-data' };
    body = Buffer.from(await encoded.arrayBuffer());
  }
  const res = await fetch(url, { ...(init as RequestInit), body: body as RequestInit['body'], headers });
  return res as unknown as Awaited<ReturnType<MakeRequest>>;
};
