/** How the console prints task lines, buttons and forms (plain text). */
import type { ButtonView, FormView, TaskView } from '../../core/domain/types.js';
import { t } from './texts.js';

/** How a button is printed: its label, or its emoji when it has none. */
export function buttonText(button: ButtonView): string {
  return button.label || button.emoji || '?';
}

export function formatRows(rows: ButtonView[][]): string {
  return rows.map((row) => row.map((b) => `[${buttonText(b)}]`).join(' ')).join(' / ');
}

/** `[taskId] headline` (plus what follows it on one line). */
export function taskLine(view: TaskView, suffix = ''): string {
  return `[${view.taskId ?? '…'}] ${view.headline}${suffix}`;
}

/** The lines that ask a form's question. */
export function formLines(form: FormView): string[] {
  const lines = [`✏️ ${form.title}`, `  ${form.hint}`];
  if (form.prompt) lines.push(`  ${t(form.locale, 'console.formPrompt', { value: form.prompt.value })}`);
  for (const [i, region] of (form.regions ?? []).entries()) lines.push(`  ${i + 1}. ${region.label} (${region.id})`);
  lines.push(t(form.locale, form.regions?.length ? 'console.regionAsk' : 'console.formAsk'));
  return lines;
}

/** A form offered after the fact (remix). */
export function offerLines(form: FormView): string[] {
  return [`✏️ ${form.title} — ${form.hint}`, `  ${t(form.locale, 'console.offer')}`];
}
