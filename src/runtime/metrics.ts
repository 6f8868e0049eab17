/**
 * Prometheus metrics on a private prom-client Registry (never the global one, so several apps —
 * or tests — in one process do not collide). Gauges read live state through callbacks at scrape
 * time; nothing here holds references to the service.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { TaskRecord } from '../core/domain/records.js';
import type { RouteHandler, ServiceObserver } from '../core/domain/ports.js';

/** What a gauge callback may return (async callbacks are awaited at scrape time). */
export type GaugeSource = () => number | Promise<number>;

/** Terminal states counted by `mjbot_tasks_total{state}`. */
export type FinishedState = 'SUCCESS' | 'FAILURE' | 'TIMEOUT' | 'LOST' | 'CANCEL';

export interface Metrics {
  readonly registry: Registry;
  /** One finished proxy request; `status` 0 = no answer (network failure); `code` = MjError code if it failed. */
  observeProxy(endpoint: string, status: number, seconds: number, code?: string): void;
  taskFinished(state: FinishedState): void;
  /** A finished task's result reached its chat, or never will. */
  resultSettled(outcome: 'delivered' | 'undeliverable', platform: string): void;
  /** A chat platform answered 429. */
  rateLimited(platform: string): void;
  /** An update (message, callback, interaction…) arrived from a chat platform. */
  platformUpdate(platform: string, kind: string): void;
  setGauges(sources: { tracked?: GaugeSource; queueDepth?: GaugeSource }): void;
  render(): Promise<{ contentType: string; body: string }>;
}

/** Task ids inside paths (`/task/<id>/fetch`) would give every task its own time series. */
export function endpointLabel(endpoint: string): string {
  return endpoint.replace(/\/task\/[^/]+\/(fetch|image-seed|cancel)$/, '/task/:id/$1');
}

/** The `state` label of a finished task record. */
export function finishedState(record: Pick<TaskRecord, 'status' | 'failure'>): FinishedState {
  if (!record.failure) return record.status === 'SUCCESS' ? 'SUCCESS' : record.status === 'CANCEL' ? 'CANCEL' : 'FAILURE';
  if (record.failure.code === 'MJ_TASK_TIMEOUT') return 'TIMEOUT';
  if (record.failure.code === 'MJ_NOT_FOUND') return 'LOST';
  return record.status === 'CANCEL' ? 'CANCEL' : 'FAILURE';
}

/** A Registry with the bot's metrics and the default process metrics. */
export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const sources: { tracked?: GaugeSource; queueDepth?: GaugeSource } = {};

  const tasks = new Counter({ name: 'mjbot_tasks_total', help: 'Tasks that reached a terminal state', labelNames: ['state'], registers });
  new Gauge({
    name: 'mjbot_tasks_tracked',
    help: 'Tasks this process is following',
    registers,
    async collect() {
      this.set(sources.tracked ? await sources.tracked() : 0);
    },
  });
  new Gauge({
    name: 'mjbot_queue_depth',
    help: 'Jobs waiting for a slot in the fair per-chat queues',
    registers,
    async collect() {
      this.set(sources.queueDepth ? await sources.queueDepth() : 0);
    },
  });
  const duration = new Histogram({
    name: 'mjbot_proxy_request_duration_seconds',
    help: 'MJ proxy request duration',
    labelNames: ['endpoint', 'status'],
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const results = new Counter({
    name: 'mjbot_results_total',
    help: 'Finished tasks by what became of their result: delivered, or undeliverable (the chat refused it for good; not charged)',
    labelNames: ['outcome', 'platform'],
    registers,
  });
  const proxyErrors = new Counter({ name: 'mjbot_proxy_errors_total', help: 'MJ proxy requests that failed, by error code', labelNames: ['code'], registers });
  const limited = new Counter({ name: 'mjbot_platform_rate_limited_total', help: 'HTTP 429 answers from chat platforms', labelNames: ['platform'], registers });
  const updates = new Counter({ name: 'mjbot_platform_updates_total', help: 'Updates received from chat platforms', labelNames: ['platform', 'kind'], registers });

  return {
    registry,
    observeProxy(endpoint, status, seconds, code) {
      duration.observe({ endpoint: endpointLabel(endpoint), status: String(status) }, seconds);
      if (code) proxyErrors.inc({ code });
    },
    taskFinished: (state) => tasks.inc({ state }),
    resultSettled: (outcome, platform) => results.inc({ outcome, platform }),
    rateLimited: (platform) => limited.inc({ platform }),
    platformUpdate: (platform, kind) => updates.inc({ platform, kind }),
    setGauges(next) {
      Object.assign(sources, next);
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/** `GET /metrics`, a route of the HTTP server. */
export function metricsRoute(metrics: Metrics, path = '/metrics'): RouteHandler {
  return {
    path,
    async handle(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      const { contentType, body } = await metrics.render();
      res.writeHead(200, { 'content-type': contentType });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}

/** Counts every task the service sees finish in `mjbot_tasks_total{state}`. */
export function metricsObserver(metrics: Metrics): ServiceObserver {
  return {
    taskFinished: (record) => metrics.taskFinished(finishedState(record)),
    resultSettled: (record, outcome) => metrics.resultSettled(outcome, record.chat.platform),
  };
}
