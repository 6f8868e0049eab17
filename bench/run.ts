/**
 * `npm run bench`: runs every benchmark (each side by side with its naive baseline), writes
 * bench/results/latest.json and the results section of bench/README.md. Pass benchmark ids to
 * run only some (e.g. `npm run bench -- polling latency`); the README is then left alone.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDownload } from './download.js';
import { runLatency } from './latency.js';
import { runMemory } from './memory.js';
import { runPolling } from './polling.js';
import { runTelegramBurst } from './telegram-burst.js';
import { machine, type BenchResult } from './util.js';

const here = dirname(fileURLToPath(import.meta.url));
const BENCHES: [string, () => Promise<BenchResult>][] = [
  ['polling', runPolling],
  ['latency', runLatency],
  ['telegram-burst', runTelegramBurst],
  ['memory', runMemory],
  ['download', runDownload],
];
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

async function main(): Promise<void> {
  const only = process.argv.slice(2);
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

await main();
// Stray keep-alive sockets of clients under test must not keep the process up.
process.exit(0);
