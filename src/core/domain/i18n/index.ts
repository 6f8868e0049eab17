/**
 * The core's texts: the catalogue of every core dictionary, listed here (no registration by
 * import). Adapters build their own catalogue from `CORE_DICTIONARIES` plus their texts.
 */
import { accessMessages } from './access.js';
import { buttonMessages } from './buttons.js';
import { createCatalogue, type Dictionary } from './catalogue.js';
import { commandMessages } from './commands.js';
import { commonMessages, formMessages } from './common.js';
import { errorMessages } from './errors.js';
import { inputMessages } from './input.js';

export { createCatalogue, toLocale, type Catalogue, type Dictionary } from './catalogue.js';

export const CORE_DICTIONARIES: readonly Dictionary[] = [commonMessages, formMessages, errorMessages, inputMessages, buttonMessages, accessMessages, commandMessages];

export const coreCatalogue = createCatalogue(CORE_DICTIONARIES);

/** Translate a core key (see `Catalogue.t`). */
export const t = coreCatalogue.t;
