/** Public API of the MJ proxy client. */
export { MjClient, type AuthHeader, type MjClientOptions } from './client.js';
export { type Submitted } from './submitted.js';
export { capabilitiesFor, type Capabilities, type Flavour } from './capabilities.js';
export { toMjError, networkError, type HttpAnswer, type MjLogger } from './http.js';
export { withRetries, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
export { probeFlavour, PROBE_TASK_ID } from './probe.js';
export * from './schemas.js';
