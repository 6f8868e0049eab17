/**
 * The open-source proxy returns no `buttons`. For its grid results we offer U1–U4, 🔄, V1–V4 in
 * the customId form the proxy itself sends to Discord, which the client turns into
 * /mj/submit/change calls (docs/protocol.md#quirks).
 */
import type { Flavour } from '../../mj/capabilities.js';
import type { Button, Task } from '../../mj/schemas.js';

const GRID_ACTIONS = new Set(['IMAGINE', 'VARIATION', 'REROLL', 'BLEND']);

export function withOssButtons(task: Task, flavour: Flavour): Button[] {
  if (flavour !== 'oss' || task.buttons.length > 0) return task.buttons;
  const hash = typeof task.properties.messageHash === 'string' ? task.properties.messageHash : '';
  if (!hash || !GRID_ACTIONS.has(task.action ?? '')) return [];
  const button = (customId: string, label: string, emoji = ''): Button => ({ customId, label, emoji, type: 2, style: 2 });
  return [
    ...[1, 2, 3, 4].map((i) => button(`MJ::JOB::upsample::${i}::${hash}`, `U${i}`)),
    button(`MJ::JOB::reroll::0::${hash}::SOLO`, '', '🔄'),
    ...[1, 2, 3, 4].map((i) => button(`MJ::JOB::variation::${i}::${hash}`, `V${i}`)),
  ];
}
