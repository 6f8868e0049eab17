/**
 * Typed client for the "Midjourney proxy" HTTP API (OSS, Plus, trueai, new-api relays),
 * as described in docs/protocol.md. Submits are never resent unless the request provably never left;
 * reads retry transient failures. Every answer is parsed with the zod schemas in schemas.ts.
 */
import type { Dispatcher } from 'undici';
import { MjError } from '../errors.js';
import { capabilitiesFor, ossChangeFor, type Capabilities, type Flavour } from './capabilities.js';
import { badResponse, MjTransport, toMjError, type HttpAnswer, type MjLogger, type ResponseObserver } from './http.js';
import { probeFlavour } from './probe.js';
import { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from './retry.js';
import { resolveRoute, type ImageRoute } from './routes.js';
import {
  SubmitResultSchema, type ActionRequest, type BlendRequest, type ChangeRequest, type DescribeRequest,
  type EditsRequest, type FaceSwapRequest, type ImagineRequest, type ModalRequest, type ShortenRequest,
  type SimpleChangeRequest, type SubmitResult, type Task, type UploadRequest, type VideoRequest,
} from './schemas.js';
import { resultIds, toSubmitted, type Submitted } from './submitted.js';
import { parseTask } from './task-parse.js';

export type { Flavour } from './capabilities.js';
export type { Submitted } from './submitted.js';

/** Which header carries the key: `mj-api-secret` (default, works everywhere), raw `Authorization`, or `Authorization: Bearer`. */
export type AuthHeader = 'mj-api-secret' | 'authorization' | 'bearer';

export interface MjClientOptions {
  /** Part before /mj; may end in a relay's mode/route segment (e.g. https://host/mj-turbo-proxy, docs/protocol.md#relay-routes). */
  baseUrl: string;
  apiKey?: string;
  authHeader?: AuthHeader;
  /** Speed mode: replaces the mode of the base URL's segment, else adds one ({root}/mj-<mode>/mj/...). */
  mode?: 'fast' | 'relax' | 'turbo';
  /** Relay image route (relay | origin | proxy): replaces the route of the base URL's segment. */
  route?: ImageRoute;
  /** Default 'auto': probed on first need, then cached. */
  flavour?: Flavour | 'auto';
  /** Total deadline of one request, body included (default 30 000 ms); connect timeout is 10 000 ms. */
  timeoutMs?: number;
  /** Largest answer read from the proxy (default 8 MiB); larger ones fail as MJ_BAD_RESPONSE. */
  maxResponseBytes?: number;
  /** Injectable dispatcher (tests: MockAgent); default a keep-alive undici Agent owned by the client. */
  dispatcher?: Dispatcher;
  /** Retry policy for idempotent reads (default 3 retries, 200 ms base, 5 s cap). */
  retry?: RetryPolicy;
  logger?: MjLogger;
  /** Observer of every proxy exchange (latency/error metrics). */
  onResponse?: ResponseObserver;
  /** Values to scrub from every proxy text (default: the key); may grow later, e.g. with derived secrets sent in notifyHook. */
  secrets?: readonly string[];
}

/** Options of a read: `signal` aborts it (the request and any retry waiting). */
export interface ReadOptions {
  signal?: AbortSignal;
}

/** Endpoints that exist only on some flavours. */
type Feature = Exclude<keyof Capabilities, 'flavour' | 'canPress'>;

function authHeaders(apiKey: string | undefined, kind: AuthHeader): Record<string, string> {
  if (!apiKey) return {};
  if (kind === 'authorization') return { authorization: apiKey };
  if (kind === 'bearer') return { authorization: `Bearer ${apiKey}` };
  return { 'mj-api-secret': apiKey };
}

/** Client of one MJ proxy. Safe for concurrent use; call `close()` when done. */
export class MjClient {
  private readonly transport: MjTransport;
  private readonly retry: RetryPolicy;
  private readonly logger?: MjLogger;
  private flavourPromise?: Promise<Flavour>;
  /** The relay answered that it has no refresh endpoint. */
  private noRefresh = false;

  constructor(opts: MjClientOptions) {
    const secrets = opts.secrets ?? (opts.apiKey ? [opts.apiKey] : []);
    const { root, prefix } = resolveRoute(opts.baseUrl, { mode: opts.mode, route: opts.route });
    this.transport = new MjTransport({
      baseUrl: root,
      prefix,
      headers: authHeaders(opts.apiKey, opts.authHeader ?? 'mj-api-secret'),
      dispatcher: opts.dispatcher,
      timeoutMs: opts.timeoutMs ?? 30_000,
      maxResponseBytes: opts.maxResponseBytes,
      logger: opts.logger,
      secrets,
      onResponse: opts.onResponse,
    });
    this.retry = opts.retry ?? DEFAULT_RETRY_POLICY;
    this.logger = opts.logger;
    if (opts.flavour && opts.flavour !== 'auto') this.flavourPromise = Promise.resolve(opts.flavour);
  }

  imagine(req: ImagineRequest): Promise<Submitted> { return this.submit(null, '/submit/imagine', req); }
  blend(req: BlendRequest): Promise<Submitted> { return this.submit(null, '/submit/blend', req); }
  describe(req: DescribeRequest): Promise<Submitted> { return this.submit(null, '/submit/describe', req); }
  shorten(req: ShortenRequest): Promise<Submitted> { return this.submit('shorten', '/submit/shorten', req); }
  modal(req: ModalRequest): Promise<Submitted> { return this.submit('modal', '/submit/modal', req); }
  change(req: ChangeRequest): Promise<Submitted> { return this.submit('change', '/submit/change', req); }
  simpleChange(req: SimpleChangeRequest): Promise<Submitted> { return this.submit('change', '/submit/simple-change', req); }
  faceSwap(req: FaceSwapRequest): Promise<Submitted> { return this.submit('faceSwap', '/insight-face/swap', req); }
  edits(req: EditsRequest): Promise<Submitted> { return this.submit('edits', '/submit/edits', req); }
  video(req: VideoRequest): Promise<Submitted> { return this.submit('video', '/submit/video', req); }

  /** Presses a button. On OSS (no /action) grid U/V and reroll go through /change instead. */
  async action(req: ActionRequest): Promise<Submitted> {
    const caps = await this.capabilities();
    if (!caps.canPress(req.customId)) throw this.unsupported('POST', '/submit/action', `button not available on ${caps.flavour}`);
    if (caps.flavour === 'oss') {
      const change = ossChangeFor(req.customId);
      if (change) return this.change({ taskId: req.taskId, ...change, notifyHook: req.notifyHook, state: req.state });
    }
    return this.submit('action', '/submit/action', req);
  }

  /** Uploads images to the proxy's Discord channel; returns their URLs. */
  async uploadImages(req: UploadRequest): Promise<string[]> {
    const env = await this.sendSubmit('upload', '/submit/upload-discord-images', req);
    const urls = resultIds(env.result);
    if (!Array.isArray(env.result) || urls.length === 0) throw badResponse(this.transport.endpoint('POST', '/submit/upload-discord-images'), 200, 'no URLs in result');
    return urls;
  }

  /** The task, or undefined if the proxy does not know it (empty 200, 204, new-api task_no_found, 404 code 3). */
  async fetch(taskId: string, opts: ReadOptions = {}): Promise<Task | undefined> {
    const path = `/task/${encodeURIComponent(taskId)}/fetch`;
    return this.read('GET', path, undefined, opts, (answer, endpoint): Task | undefined => {
      if (answer.status === 204 || (answer.status < 300 && answer.text.trim() === '')) return undefined;
      const task = parseTask(answer.json);
      if (!task) throw badResponse(endpoint, answer.status, 'body is not a task');
      return task;
    }).catch((err: unknown) => {
      if (err instanceof MjError && err.code === 'MJ_NOT_FOUND') return undefined;
      throw err;
    });
  }

  /** Tasks for the ids (requests of ≤ 100 ids each); unknown ids are omitted. */
  async listByCondition(ids: string[], opts: ReadOptions = {}): Promise<Task[]> {
    const unique = [...new Set(ids)];
    const tasks: Task[] = [];
    for (let i = 0; i < unique.length; i += 100) {
      const chunk = await this.read('POST', '/task/list-by-condition', { ids: unique.slice(i, i + 100) }, opts, (answer, endpoint) => {
        if (answer.text.trim() === '' || answer.json === null) return [];
        if (!Array.isArray(answer.json)) throw badResponse(endpoint, answer.status, 'body is not a list');
        return answer.json.flatMap((t) => parseTask(t) ?? []);
      });
      tasks.push(...chunk);
    }
    return tasks;
  }

  /** The seed of a finished image task. */
  async imageSeed(taskId: string): Promise<string> {
    const path = `/task/${encodeURIComponent(taskId)}/image-seed`;
    await this.require('imageSeed', 'GET', path);
    return this.read('GET', path, undefined, {}, (answer, endpoint) => {
      const env = SubmitResultSchema.safeParse(answer.json);
      const seed = env.success ? resultIds(env.data.result)[0] : undefined;
      if (!seed) throw badResponse(endpoint, answer.status, 'no seed in result');
      return seed;
    });
  }

  /**
   * The task with freshly signed links, where the relay can re-sign them (docs/protocol.md#refreshing-links);
   * undefined when it does not know the task. A relay that turns out not to have the endpoint is not asked again.
   */
  async refreshLink(taskId: string): Promise<Task | undefined> {
    const path = `/task/${encodeURIComponent(taskId)}/refresh`;
    await this.require('refreshLink', 'POST', path);
    if (this.noRefresh) throw this.unsupported('POST', path, 'the relay has no refresh endpoint');
    return this.read('POST', path, {}, {}, (answer, endpoint): Task | undefined => {
      if (answer.status === 204 || answer.text.trim() === '') return undefined;
      const task = parseTask(answer.json);
      if (!task) throw badResponse(endpoint, answer.status, 'body is not a task');
      return task;
    }).catch((err: unknown) => {
      if (err instanceof MjError && err.code === 'MJ_UNSUPPORTED') this.noRefresh = true;
      throw err;
    });
  }

  /** Cancels a waiting or running task (trueai; Plus per its README). */
  async cancel(taskId: string): Promise<void> {
    const path = `/task/${encodeURIComponent(taskId)}/cancel`;
    await this.require('cancel', 'POST', path);
    const answer = await this.transport.send('POST', path);
    const err = toMjError(answer, this.transport.endpoint('POST', path), this.transport.secrets);
    if (err) throw err;
  }

  /** The proxy flavour: the configured one, or probed once and cached. */
  flavour(): Promise<Flavour> {
    if (!this.flavourPromise) {
      const probing = probeFlavour(this.transport);
      this.flavourPromise = probing;
      // A failed probe (proxy down, bad key) must not stick: the next call probes again.
      probing.then((f) => this.logger?.debug({ flavour: f }, 'mj flavour detected'), () => { this.flavourPromise = undefined; });
    }
    return this.flavourPromise;
  }

  async capabilities(): Promise<Capabilities> {
    return capabilitiesFor(await this.flavour());
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  private unsupported(method: string, path: string, why: string): MjError {
    const endpoint = this.transport.endpoint(method, path);
    return new MjError('MJ_UNSUPPORTED', `${endpoint}: ${why}`, { endpoint });
  }

  /** Throws MJ_UNSUPPORTED, without sending, when the flavour lacks the endpoint. */
  private async require(feature: Feature | null, method: string, path: string): Promise<void> {
    if (!feature) return;
    const caps = await this.capabilities();
    if (!caps[feature]) throw this.unsupported(method, path, `not available on ${caps.flavour}`);
  }

  private async submit(feature: Feature | null, path: string, body: object): Promise<Submitted> {
    const env = await this.sendSubmit(feature, path, body);
    const submitted = toSubmitted(env);
    if (!submitted) throw badResponse(this.transport.endpoint('POST', path), 200, 'accepted without a task id');
    return submitted;
  }

  /** POSTs a submit; resends once only if the first attempt provably never reached the proxy. */
  private async sendSubmit(feature: Feature | null, path: string, body: object): Promise<SubmitResult> {
    await this.require(feature, 'POST', path);
    const endpoint = this.transport.endpoint('POST', path);
    const answer = await withRetries(() => this.transport.send('POST', path, body), { ...this.retry, retries: Math.min(1, this.retry.retries) }, undefined, {
      idempotent: false,
      onRetry: (err, attempt, delayMs) => this.logger?.warn({ endpoint, code: err.code, attempt, delayMs }, 'mj submit not sent, retrying'),
    });
    const err = toMjError(answer, endpoint, this.transport.secrets);
    if (err) throw err;
    const env = SubmitResultSchema.safeParse(answer.json);
    if (!env.success) throw badResponse(endpoint, answer.status, 'body is not a submit result');
    return env.data;
  }

  /** An idempotent request, retried on network failures, 5xx and rate limits; `signal` stops it and its retries. */
  private read<T>(method: 'GET' | 'POST', path: string, body: unknown, opts: ReadOptions, parse: (a: HttpAnswer, endpoint: string) => T): Promise<T> {
    const endpoint = this.transport.endpoint(method, path);
    const attempt = async (): Promise<T> => {
      const answer = await this.transport.send(method, path, body, opts.signal);
      const err = toMjError(answer, endpoint, this.transport.secrets);
      if (err) throw err;
      return parse(answer, endpoint);
    };
    return withRetries(attempt, this.retry, opts.signal, {
      onRetry: (err, n, delayMs) => this.logger?.warn({ endpoint, code: err.code, attempt: n, delayMs }, 'mj read failed, retrying'),
    });
  }
}
