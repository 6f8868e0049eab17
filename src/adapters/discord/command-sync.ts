/**
 * Keeps the registered slash commands in step with the definitions (commands/): read what Discord
 * has — with every localization — and write the whole list (one bulk overwrite) only when it
 * differs, so a restart costs no write and no rate limit. Fields Discord adds (ids, versions,
 * permissions, contexts …) and defaults it leaves out (`required: false`) do not count.
 */
import { Routes, type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

export type SlashCommand = RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Global commands, or those of one guild (instant; for testing). */
export function commandsRoute(applicationId: string, guildId?: string): `/${string}` {
  return guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Localizations: null, {} and absent all mean "none". */
function localizations(value: unknown): Dict | undefined {
  if (!isDict(value) || Object.keys(value).length === 0) return undefined;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}

/** Only the fields a definition sets, with Discord's defaults filled in, in a fixed order. */
function canonicalOption(raw: unknown): Dict {
  const o = isDict(raw) ? raw : {};
  return {
    type: o.type,
    name: o.name,
    name_localizations: localizations(o.name_localizations),
    description: o.description,
    description_localizations: localizations(o.description_localizations),
    required: o.required === true,
    autocomplete: o.autocomplete === true,
    min_value: o.min_value,
    max_value: o.max_value,
    min_length: o.min_length,
    max_length: o.max_length,
    channel_types: o.channel_types,
    choices: Array.isArray(o.choices)
      ? o.choices.map((c: unknown) => {
          const choice = isDict(c) ? c : {};
          return { name: choice.name, name_localizations: localizations(choice.name_localizations), value: choice.value };
        })
      : undefined,
    options: Array.isArray(o.options) && o.options.length > 0 ? o.options.map(canonicalOption) : undefined,
  };
}

function canonicalCommand(raw: unknown): Dict {
  const c = isDict(raw) ? raw : {};
  const { required: _required, autocomplete: _autocomplete, ...rest } = canonicalOption({ ...c, type: c.type ?? 1 });
  return rest;
}

/** The canonical text of a command list (order of commands does not matter; order of options does). */
function canonical(list: readonly unknown[]): string {
  return JSON.stringify(list.map(canonicalCommand).sort((a, b) => String(a.name).localeCompare(String(b.name))));
}

/** True when what Discord has registered is what the definitions say. */
export function sameCommands(registered: readonly unknown[], wanted: readonly SlashCommand[]): boolean {
  return canonical(registered) === canonical(wanted);
}

/** Read the registered commands and overwrite them only when they differ. */
export async function syncCommands(
  rest: REST,
  target: { applicationId: string; guildId?: string },
  wanted: readonly SlashCommand[],
  signal?: AbortSignal,
): Promise<'unchanged' | 'written'> {
  const route = commandsRoute(target.applicationId, target.guildId);
  const registered = await rest.get(route, { query: new URLSearchParams({ with_localizations: 'true' }), signal });
  if (Array.isArray(registered) && sameCommands(registered, wanted)) return 'unchanged';
  await rest.put(route, { body: wanted, signal });
  return 'written';
}
