/** Discord's real JSON error answers, and a builder for the nested "Invalid Form Body" tree. */

/** Thrown by route handlers; the server answers `status` with `body` (and `headers`). */
export class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message));
  }
}

function err(status: number, code: number, message: string): DiscordHttpError {
  return new DiscordHttpError(status, { message, code });
}

/** The fixed-text errors the fake answers with (texts as the real API sends them). */
export const DiscordErrors = {
  unauthorized: () => err(401, 0, '401: Unauthorized'),
  notFound: () => err(404, 0, '404: Not Found'),
  methodNotAllowed: () => err(405, 0, '405: Method Not Allowed'),
  unknownChannel: () => err(404, 10003, 'Unknown Channel'),
  unknownMessage: () => err(404, 10008, 'Unknown Message'),
  unknownWebhook: () => err(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => err(404, 10062, 'Unknown interaction'),
  alreadyAcknowledged: () => err(400, 40060, 'Interaction has already been acknowledged.'),
  entityTooLarge: () => err(413, 40005, 'Request entity too large'),
  emptyMessage: () => err(400, 50006, 'Cannot send an empty message'),
  invalidWebhookToken: () => err(401, 50027, 'Invalid Webhook Token'),
  cannotEditOtherUser: () => err(403, 50005, 'Cannot edit a message authored by another user'),
  /** Bad callback type for this interaction (e.g. a modal in answer to a modal submit). */
  invalidCallbackType: () =>
    new DiscordHttpError(400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: { type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Invalid interaction response type' }] } },
    }),
} as const;

/** One entry of an `_errors` array. */
export interface FieldError {
  code: string;
  message: string;
}

type Path = readonly (string | number)[];

/**
 * Collects field errors and nests them the way the API does:
 * `errors.components["0"].components["1"].custom_id._errors[]`.
 */
export class FormErrors {
  private readonly tree: Record<string, unknown> = {};
  private count = 0;

  add(path: Path, error: FieldError): void {
    let node = this.tree;
    for (const key of path) {
      const k = String(key);
      const next = node[k];
      if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
      else node = node[k] = {};
    }
    const list = (node._errors as FieldError[] | undefined) ?? [];
    list.push(error);
    node._errors = list;
    this.count++;
  }

  /** `value` must have length in [min, max] (strings or arrays). Missing values are checked only when `required`. */
  length(path: Path, value: unknown, min: number, max: number, required = false): void {
    if (value === undefined || value === null) {
      if (required) this.add(path, { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      return;
    }
    const len = typeof value === 'string' ? [...value].length : Array.isArray(value) ? value.length : -1;
    if (len < 0) return;
    if (len > max && min === 0) this.add(path, maxLength(max));
    else if (len < min || len > max) this.add(path, { code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between ${min} and ${max} in length.` });
  }

  get empty(): boolean {
    return this.count === 0;
  }

  /** Throws the 50035 error if anything was collected. */
  throwIfAny(): void {
    if (this.empty) return;
    throw new DiscordHttpError(400, { message: 'Invalid Form Body', code: 50035, errors: this.tree });
  }
}

/** The API's "Must be N or fewer in length." error. */
export function maxLength(max: number): FieldError {
  return { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` };
}
