/**
 * The repository must stand on its own: a fresh clone in a folder with nothing beside it has to
 * build and pass. So no file may name the team's external reference folder, and no relative path
 * may climb above the checkout (`.ci/run` proves the same by running the suite in such a folder).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url)).replace(/[\\/]+$/, '');
/** Never part of the repository (installed, generated or local). */
const SKIP_DIRS = new Set(['node_modules', '.git', 'data', 'output', 'coverage', 'tmp-scratch', 'results']);

function walk(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : walk(path);
    return entry.isFile() && entry.name !== '.env' ? [path] : [];
  });
}

/** The tracked files of this checkout, or every file when it is not a git checkout (an exported tree). */
function repositoryFiles(): string[] {
  try {
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (top !== root) return walk('');
    const listed = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return listed.split('\0').filter((f) => f && existsSync(join(root, f)) && statSync(join(root, f)).isFile());
  } catch {
    return walk('');
  }
}

/** Text files only: anything with a NUL byte is binary. */
function textFiles(): { path: string; lines: string[] }[] {
  return repositoryFiles().flatMap((path) => {
    const bytes = readFileSync(join(root, path));
    if (bytes.subarray(0, 8000).includes(0)) return [];
    return [{ path, lines: bytes.toString('utf8').split('\n') }];
  });
}

const files = textFiles();

describe('the repository stands on its own', () => {
  it('finds the repository files', () => {
    const paths = files.map((f) => f.path);
    expect(paths).toContain('package.json');
    expect(paths).toContain('docs/protocol.md');
    expect(paths.filter((p) => p.startsWith('test/fixtures/')).length).toBeGreaterThan(10);
  });

  it('names no path into the external reference folder', () => {
    // The team's reference folder sits beside the repository on some machines, never in a clone:
    // docs/protocol.md and test/fixtures/ hold what the code relies on.
    // Assembled from parts so that this file does not contain what it looks for.
    const forbidden = [['..', 'shared'], ['', 'work', 'shared'], ['shared', 'mj-'], ['mj-samples', '']].map((parts) => parts.join('/'));
    const hits = files.flatMap((f) =>
      f.lines.flatMap((line, i) => (forbidden.some((word) => line.includes(word)) ? [`${f.path}:${i + 1}: ${line.trim()}`] : [])));
    expect(hits).toEqual([]);
  });

  it('has no relative path that climbs out of the repository', () => {
    // `../` runs at the start of a path (after a quote, bracket, space…), resolved from the file's folder.
    const climb = /(?:^|[^\w./])((?:\.\.\/)*\.\.)(?![\w.])/g;
    const hits = files.flatMap((f) => {
      const depth = dirname(f.path) === '.' ? 0 : dirname(f.path).split('/').length;
      return f.lines.flatMap((line, i) =>
        [...line.matchAll(climb)]
          .filter((m) => (m[1] ?? '').split('/').length > depth)
          .map(() => `${f.path}:${i + 1}: ${line.trim()}`));
    });
    expect(hits).toEqual([]);
  });

  it('does not mention the folder the checkout sits in', () => {
    const parent = dirname(root);
    // Only meaningful when the parent is a specific folder, not a system-wide one.
    if (parent === dirname(parent) || ['tmp', 'home', 'Users'].includes(basename(parent))) return;
    const hits = files.flatMap((f) => f.lines.flatMap((line, i) => (line.includes(`${parent}/`) ? [`${f.path}:${i + 1}`] : [])));
    expect(hits).toEqual([]);
  });
});
