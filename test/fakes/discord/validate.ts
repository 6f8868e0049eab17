/**
 * Discord's documented limits on message bodies, components and modals, answered with the API's
 * nested 50035 "Invalid Form Body" errors. Limits as published in Discord's API documentation (discord-api-docs).
 */
import { FormErrors } from './errors.js';

type Path = (string | number)[];
type Obj = Record<string, unknown>;

/** Narrows to a plain object (or an empty one). */
export function asObj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

/** Narrows to an array (or an empty one). */
export function asArr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

const COMPONENTS_V2 = 1 << 15;

/** Checks a message create/edit body (content, embeds, components). Errors nest under `prefix`. */
export function validateMessageBody(body: Obj, errors: FormErrors, prefix: Path = []): void {
  errors.length([...prefix, 'content'], body.content, 0, 2000);
  if (body.embeds !== undefined && body.embeds !== null) validateEmbeds(asArr(body.embeds), errors, [...prefix, 'embeds']);
  if (body.components !== undefined && body.components !== null) {
    const v2 = (Number(body.flags ?? 0) & COMPONENTS_V2) !== 0;
    validateMessageComponents(asArr(body.components), errors, [...prefix, 'components'], v2);
  }
}

function validateEmbeds(embeds: unknown[], errors: FormErrors, path: Path): void {
  errors.length(path, embeds, 0, 10);
  let total = 0;
  const count = (s: unknown): void => {
    if (typeof s === 'string') total += [...s].length;
  };
  embeds.forEach((raw, i) => {
    const e = asObj(raw);
    const p = [...path, i];
    errors.length([...p, 'title'], e.title, 0, 256);
    errors.length([...p, 'description'], e.description, 0, 4096);
    const fields = asArr(e.fields);
    errors.length([...p, 'fields'], e.fields, 0, 25);
    fields.forEach((f, j) => {
      errors.length([...p, 'fields', j, 'name'], asObj(f).name, 1, 256, true);
      errors.length([...p, 'fields', j, 'value'], asObj(f).value, 1, 1024, true);
      count(asObj(f).name);
      count(asObj(f).value);
    });
    errors.length([...p, 'footer', 'text'], asObj(e.footer).text, 0, 2048);
    errors.length([...p, 'author', 'name'], asObj(e.author).name, 0, 256);
    [e.title, e.description, asObj(e.footer).text, asObj(e.author).name].forEach(count);
  });
  if (total > 6000) errors.add(path, { code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' });
}

function validateMessageComponents(rows: unknown[], errors: FormErrors, path: Path, v2: boolean): void {
  if (v2) {
    // Components V2: up to 40 components in total; only ids are checked deeply here.
    errors.length(path, rows, 0, 40);
    rows.forEach((c, i) => validateNested(asObj(c), errors, [...path, i]));
    return;
  }
  errors.length(path, rows, 0, 5);
  rows.forEach((raw, i) => {
    const row = asObj(raw);
    const p = [...path, i];
    if (row.type !== 1) {
      errors.add([...p, 'type'], { code: 'UNION_TYPE_CHOICES', message: 'Value of field "type" must be one of (1,).' });
      return;
    }
    const children = asArr(row.components);
    const hasSelect = children.some((c) => asObj(c).type !== 2);
    errors.length([...p, 'components'], row.components, 1, hasSelect ? 1 : 5, true);
    children.forEach((c, j) => validateInteractive(asObj(c), errors, [...p, 'components', j]));
  });
}

function validateNested(c: Obj, errors: FormErrors, p: Path): void {
  if ('components' in c) asArr(c.components).forEach((child, j) => validateNested(asObj(child), errors, [...p, 'components', j]));
  if ('accessory' in c) validateNested(asObj(c.accessory), errors, [...p, 'accessory']);
  if (c.type === 2 || (typeof c.type === 'number' && [3, 5, 6, 7, 8].includes(c.type))) validateInteractive(c, errors, p);
}

/** A button or a select menu inside a message. */
function validateInteractive(c: Obj, errors: FormErrors, p: Path): void {
  if (c.type === 2) {
    errors.length([...p, 'label'], c.label, 0, 80);
    const style = Number(c.style);
    if (style === 5) {
      if (typeof c.url !== 'string') errors.add([...p, 'url'], { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      if (c.custom_id !== undefined) errors.add([...p, 'custom_id'], { code: 'COMPONENT_CUSTOM_ID_NOT_ALLOWED', message: 'A custom id is not allowed here' });
    } else if (style !== 6) {
      errors.length([...p, 'custom_id'], c.custom_id, 1, 100, true);
    }
    if (c.label === undefined && c.emoji === undefined && style !== 6) {
      errors.add([...p, 'label'], { code: 'BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED', message: 'A label or emoji is required' });
    }
    return;
  }
  if (typeof c.type === 'number' && [3, 5, 6, 7, 8].includes(c.type)) {
    errors.length([...p, 'custom_id'], c.custom_id, 1, 100, true);
    errors.length([...p, 'placeholder'], c.placeholder, 0, 150);
    if (c.type === 3) {
      errors.length([...p, 'options'], c.options, 1, 25, true);
      asArr(c.options).forEach((o, k) => {
        const opt = asObj(o);
        errors.length([...p, 'options', k, 'label'], opt.label, 1, 100, true);
        errors.length([...p, 'options', k, 'value'], opt.value, 1, 100, true);
        errors.length([...p, 'options', k, 'description'], opt.description, 0, 100);
      });
    }
    return;
  }
  errors.add([...p, 'type'], { code: 'UNION_TYPE_CHOICES', message: 'Value of field "type" must be one of (2, 3, 5, 6, 7, 8).' });
}

/** Checks a modal (callback type 9 `data`). Errors nest under `prefix` (normally `['data']`). */
export function validateModal(data: Obj, errors: FormErrors, prefix: Path): void {
  errors.length([...prefix, 'custom_id'], data.custom_id, 1, 100, true);
  errors.length([...prefix, 'title'], data.title, 1, 45, true);
  errors.length([...prefix, 'components'], data.components, 1, 5, true);
  asArr(data.components).forEach((raw, i) => {
    const c = asObj(raw);
    const p = [...prefix, 'components', i];
    if (c.type === 1) {
      errors.length([...p, 'components'], c.components, 1, 1, true);
      asArr(c.components).forEach((t, j) => validateTextInput(asObj(t), errors, [...p, 'components', j], true));
    } else if (c.type === 18) {
      errors.length([...p, 'label'], c.label, 1, 45, true);
      errors.length([...p, 'description'], c.description, 0, 100);
      const inner = asObj(c.component);
      if (inner.type === 4) validateTextInput(inner, errors, [...p, 'component'], false);
      else validateInteractive(inner, errors, [...p, 'component']);
    } else if (c.type !== 10) {
      errors.add([...p, 'type'], { code: 'UNION_TYPE_CHOICES', message: 'Value of field "type" must be one of (1, 10, 18).' });
    }
  });
}

function validateTextInput(t: Obj, errors: FormErrors, p: Path, labelRequired: boolean): void {
  if (t.type !== 4) {
    errors.add([...p, 'type'], { code: 'UNION_TYPE_CHOICES', message: 'Value of field "type" must be one of (4,).' });
    return;
  }
  errors.length([...p, 'custom_id'], t.custom_id, 1, 100, true);
  errors.length([...p, 'label'], t.label, 1, 45, labelRequired);
  errors.length([...p, 'value'], t.value, 0, 4000);
  errors.length([...p, 'placeholder'], t.placeholder, 0, 100);
  for (const [key, min] of [['min_length', 0], ['max_length', 1]] as const) {
    const n = t[key];
    if (n !== undefined && (typeof n !== 'number' || n < min || n > 4000)) {
      errors.add([...p, key], { code: 'NUMBER_TYPE_MAX', message: `int value should be between ${min} and 4000.` });
    }
  }
  if (t.style !== 1 && t.style !== 2) {
    errors.add([...p, 'style'], { code: 'ENUM_TYPE_COERCE', message: `Value "${String(t.style)}" is not a valid enum value.` });
  }
}

/** True when the body would produce a message with nothing to show. */
export function isEmptyMessage(m: { content?: unknown; embeds?: unknown; components?: unknown; attachments?: unknown; sticker_ids?: unknown; poll?: unknown }): boolean {
  const content = typeof m.content === 'string' && m.content.length > 0;
  return !content && asArr(m.embeds).length === 0 && asArr(m.components).length === 0 && asArr(m.attachments).length === 0 && asArr(m.sticker_ids).length === 0 && m.poll == null;
}
