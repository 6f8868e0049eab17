/**
 * `npm run bench` argument handling: `--help` prints the usage and runs nothing, unknown ids and
 * options are refused with exit code 2 — and none of them touches bench/results.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const resultsFile = fileURLToPath(new URL('../../bench/results/latest.json', import.meta.url));

function bench(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { cwd: root, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

/** What bench/results/latest.json looks like now (absent, or its bytes and mtime). */
function resultsState(): string {
  if (!existsSync(resultsFile)) return 'absent';
  return `${statSync(resultsFile).mtimeMs} ${readFileSync(resultsFile, 'utf8')}`;
}

describe('npm run bench arguments', () => {
  it('prints the usage for --help and -h, runs nothing and leaves the results alone', async () => {
    const before = resultsState();
    for (const flag of ['--help', '-h']) {
      const { code, stdout } = await bench(flag);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: npm run bench/);
      for (const id of ['polling', 'latency', 'telegram-burst', 'memory', 'download', 'chaos']) expect(stdout).toContain(id);
      expect(stdout).not.toContain('▶');
    }
    expect(resultsState()).toBe(before);
  });

  it('refuses unknown benchmark ids and options with exit code 2 before running anything', async () => {
    const before = resultsState();
    const unknownId = await bench('polling', 'nonsense');
    expect(unknownId.code).toBe(2);
    expect(unknownId.stderr).toContain('Unknown benchmark id: nonsense');
    expect(unknownId.stderr).toContain('known: polling, latency, telegram-burst, memory, download');
    expect(unknownId.stdout).not.toContain('▶');
    const unknownOption = await bench('--fast');
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain('Unknown option: --fast');
    expect(resultsState()).toBe(before);
  });
});
