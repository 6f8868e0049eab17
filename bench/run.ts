/**
 * `npm run bench`: runs every benchmark (each side by side with its naive baseline), writes
 * bench/results/latest.json and the results section of bench/README.md. Pass benchmark ids to
 * run only some (e.g. `npm run bench -- polling latency`); the README is then left alone.
 * `--help` prints the usage; unknown ids or options are refused (exit code 2) before anything runs.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './util.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Benchmarks are loaded only when they run, so `--help` and argument errors stay instant. */
const BENCHES: [string, () => Promise<BenchResult>][] = [
  ['polling', async () => (await import('./polling.js')).runPolling()],
  ['latency', async () => (await import('./latency.js')).runLatency()],
  ['telegram-burst', async () => (await import('./telegram-burst.js')).runTelegramBurst()],
  ['memory', async () => (await import('./memory.js')).runMemory()],
  ['download', async () => (await import('./download.js')).runDownload()],
  ['admission', async () => (await import('./admission.js')).runAdmission()],
  ['chaos', async () => (await import('./chaos.js')).runChaos()],
  ['discord-burst', async () => (await import('./discord-burst.js')).runDiscordBurst()],
  ['record-store', async () => (await import('./record-store.js')).runRecordStore()],
  ['receiver', async () => (await import('./receiver.js')).runReceiver()],
  ['relay', async () => (await import('./relay.js')).runRelay()],
];
const IDS = BENCHES.map(([id]) => id);
const USAGE = `Usage: npm run bench [-- <id>...]

Runs the benchmarks against the embedded MJ simulator and the fake platform servers on 127.0.0.1,
each side by side with its naive baseline. With no ids, runs all of them and rewrites the results
section of bench/README.md; with ids, runs only those and leaves the README alone. Results are
written to bench/results/latest.json.

Benchmark ids: ${IDS.join(', ')}

Options:
  -h, --help   print this help and exit without running anything`;

/** The ids to run, or what to do instead: print the usage, or refuse the arguments (exit code 2). */
function parseArgs(args: string[]): { ids: string[] } | { help: true } | { error: string } {
  if (args.some((a) => a === '--help' || a === '-h')) return { help: true };
  const options = args.filter((a) => a.startsWith('-'));
  if (options.length > 0) return { error: `Unknown option${options.length > 1 ? 's' : ''}: ${options.join(' ')}` };
  const unknown = args.filter((a) => !IDS.includes(a));
  if (unknown.length > 0) return { error: `Unknown benchmark id${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (known: ${IDS.join(', ')})` };
  return { ids: args };
}

const START = '<!-- results:start -->';
const END = '<!-- results:end -->';

function table(result: BenchResult): string {
  const line = (cells: (string | number)[]): string => `| ${cells.join(' | ')} |`;
  return [
    `### ${result.title}`,
    '',
    line(result.columns),
    line(result.columns.map(() => '---')),
    ...result.rows.map(line),
    '',
    ...result.notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}

async function main(only: string[]): Promise<void> {
  const { machine } = await import('./util.js');
  const info = machine();
  const results: BenchResult[] = [];
  for (const [id, run] of BENCHES) {
    if (only.length > 0 && !only.includes(id)) continue;
    const t0 = Date.now();
    console.log(`▶ ${id}…`);
    try {
      results.push(await run());
    } catch (err) {
      console.error(`✖ ${id} failed:`, err);
      results.push({ id, title: id, columns: ['status'], rows: [['not run: failed']], notes: [String(err instanceof Error ? err.message : err).split('\n')[0] ?? ''] });
    }
    console.log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const last = results[results.length - 1];
    if (last) console.log(table(last));
  }
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'latest.json'), `${JSON.stringify({ machine: info, results }, null, 2)}\n`);
  if (only.length === 0) {
    const readmePath = join(here, 'README.md');
    const readme = readFileSync(readmePath, 'utf8');
    const header = `Latest run: ${info.date.slice(0, 10)} on ${info.cpu} (${info.cores} cores), Node ${info.node}.\n`;
    const section = `${START}\n${header}\n${results.map(table).join('\n')}${END}`;
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    writeFileSync(readmePath, start >= 0 && end > start ? readme.slice(0, start) + section + readme.slice(end + END.length) : `${readme}\n${section}\n`);
  }
  console.log('results written to bench/results/latest.json');
}

const parsed = parseArgs(process.argv.slice(2));
if ('help' in parsed) {
  console.log(USAGE);
  process.exit(0);
}
if ('error' in parsed) {
  console.error(`${parsed.error}\nRun \`npm run bench -- --help\` for the usage.`);
  process.exit(2);
}
await main(parsed.ids);
// Stray keep-alive sockets of clients under test must not keep the process up.
process.exit(0);
