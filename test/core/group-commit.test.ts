/**
 * Group commit: concurrent writes share a commit, nobody is told "done" before the commit that
 * holds their entries finished, the last entry for a key wins, and a bad entry fails only its
 * own writer.
 */
import { describe, expect, it } from 'vitest';
import { GroupCommit, lastPerKey, type RawOp } from '../../src/runtime/group-commit.js';

describe('GroupCommit', () => {
  it('commits 100 concurrent writes in a couple of commits, resolving each only after its commit', async () => {
    const committed: string[][] = [];
    let inCommit = false;
    const group = new GroupCommit(async (ops) => {
      inCommit = true;
      await new Promise((r) => setTimeout(r, 5));
      committed.push(ops.map((op) => op.key));
      inCommit = false;
    });
    const resolvedDuringCommit: boolean[] = [];
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => group.write([{ key: `k${i}`, raw: `v${i}` }]).then(() => resolvedDuringCommit.push(inCommit))),
    );
    expect(committed.length).toBeLessThanOrEqual(2);
    expect(committed.flat().sort()).toEqual(Array.from({ length: 100 }, (_, i) => `k${i}`).sort());
    expect(resolvedDuringCommit.every((during) => !during)).toBe(true);
    expect(group.commits).toBe(committed.length);
  });

  it('keeps the last entry per key, in order', () => {
    const ops: RawOp[] = [{ key: 'a', raw: '1' }, { key: 'b', raw: '1' }, { key: 'a', delete: true }, { key: 'a', raw: '3' }];
    expect(lastPerKey(ops)).toEqual([{ key: 'b', raw: '1' }, { key: 'a', raw: '3' }]);
  });

  it('fails only the writer whose entry the store refuses', async () => {
    const group = new GroupCommit(async (ops) => {
      await new Promise((r) => setTimeout(r, 1));
      if (ops.some((op) => op.key === 'bad')) throw new Error('refused');
    });
    const results = await Promise.allSettled([group.write([{ key: 'good1', raw: 'x' }]), group.write([{ key: 'bad', raw: 'x' }]), group.write([{ key: 'good2', raw: 'x' }])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
