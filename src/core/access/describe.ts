/** A short, human description of a job for /queue and /admin running. */
import { describeButton } from '../domain/buttons/catalogue.js';
import type { JobSpec } from '../domain/jobs.js';
import type { TaskRecord } from '../domain/records.js';
import type { Store } from '../domain/ports.js';

const MAX_CHARS = 80;

export function clip(text: string, max = MAX_CHARS): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

export async function describeJob(store: Store, spec: JobSpec): Promise<string> {
  switch (spec.kind) {
    case 'imagine':
    case 'shorten':
    case 'edit':
    case 'video':
      return clip(spec.prompt);
    case 'blend':
      return `blend ×${spec.images.length}`;
    case 'describe':
      return 'describe';
    case 'faceswap':
      return 'face swap';
    case 'action': {
      const info = describeButton({ customId: spec.customId });
      const label = info.label || info.emoji || info.kind;
      const parent = await store.get<TaskRecord>('task', spec.parentTaskId);
      return clip(parent ? `${label} · ${parent.prompt}` : label);
    }
  }
}
