/** Validation of application-command registration (`PUT /applications/{id}/commands`). */
import { FormErrors } from './errors.js';
import { asArr, asObj } from './validate.js';

type Path = (string | number)[];

/** Locales Discord accepts as keys of `name_localizations` / `description_localizations`. */
export const DISCORD_LOCALES = new Set([
  'id', 'da', 'de', 'en-GB', 'en-US', 'es-ES', 'es-419', 'fr', 'hr', 'it', 'lt', 'hu', 'nl', 'no', 'pl', 'pt-BR',
  'ro', 'fi', 'sv-SE', 'vi', 'tr', 'cs', 'el', 'bg', 'ru', 'uk', 'hi', 'th', 'zh-CN', 'ja', 'zh-TW', 'ko',
]);

const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

function checkName(name: unknown, errors: FormErrors, path: Path): void {
  if (typeof name !== 'string') {
    errors.add(path, { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  } else if (!NAME.test(name) || name !== name.toLowerCase()) {
    errors.add(path, { code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
  }
}

function checkLocalizations(value: unknown, errors: FormErrors, path: Path, each: (v: unknown, p: Path) => void): void {
  if (value === undefined || value === null) return;
  for (const [locale, text] of Object.entries(asObj(value))) {
    if (!DISCORD_LOCALES.has(locale)) {
      errors.add([...path, locale], { code: 'ENUM_TYPE_COERCE', message: `Value "${locale}" is not a valid enum value.` });
    } else {
      each(text, [...path, locale]);
    }
  }
}

function checkNamed(item: Record<string, unknown>, errors: FormErrors, p: Path, needsDescription: boolean): void {
  checkName(item.name, errors, [...p, 'name']);
  checkLocalizations(item.name_localizations, errors, [...p, 'name_localizations'], (v, lp) => checkName(v, errors, lp));
  if (needsDescription) errors.length([...p, 'description'], item.description, 1, 100, true);
  checkLocalizations(item.description_localizations, errors, [...p, 'description_localizations'], (v, lp) =>
    errors.length(lp, v, 1, 100, true),
  );
}

function checkOptions(options: unknown, errors: FormErrors, p: Path): void {
  if (options === undefined) return;
  errors.length(p, options, 0, 25);
  const seen = new Set<string>();
  asArr(options).forEach((raw, i) => {
    const o = asObj(raw);
    checkNamed(o, errors, [...p, i], true);
    if (typeof o.name === 'string') {
      if (seen.has(o.name)) errors.add([...p, i, 'name'], { code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', message: 'Option name already exists' });
      seen.add(o.name);
    }
    errors.length([...p, i, 'choices'], o.choices, 0, 25);
    checkOptions(o.options, errors, [...p, i, 'options']);
  });
}

/** Throws 50035 when any command in the list breaks Discord's rules; errors nest under the index. */
export function validateCommands(body: unknown): unknown[] {
  const errors = new FormErrors();
  if (!Array.isArray(body)) {
    errors.add([], { code: 'ARRAY_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' });
    errors.throwIfAny();
    return [];
  }
  const names = new Set<string>();
  body.forEach((raw, i) => {
    const c = asObj(raw);
    const type = Number(c.type ?? 1);
    checkNamed(c, errors, [i], type === 1);
    if (typeof c.name === 'string') {
      const key = `${type}:${c.name}`;
      if (names.has(key)) errors.add([i, 'name'], { code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: `Application command names must be unique` });
      names.add(key);
    }
    checkOptions(c.options, errors, [i, 'options']);
  });
  errors.throwIfAny();
  return body;
}
