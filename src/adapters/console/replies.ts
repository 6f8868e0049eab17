/** Printing the service's answers (Reply) on the terminal; a form is asked and waits for the next line. */
import type { FormView, Locale, Reply } from '../../core/domain/types.js';
import type { ConsoleScreen } from './presenter.js';
import { formLines } from './render.js';

/** Print `reply`; returns the form now waiting for an answer, if the reply asks one. */
export async function showReply(screen: ConsoleScreen, reply: Reply, locale: Locale): Promise<FormView | undefined> {
  if (reply.type === 'task') return undefined;
  if (reply.type === 'error') {
    screen.print(`⚠️ ${reply.text}`);
    return undefined;
  }
  if (reply.type === 'form') {
    screen.offered = undefined;
    for (const line of formLines(reply.form)) screen.print(line);
    return reply.form;
  }
  screen.print(reply.text);
  const images = [...(reply.image ? [reply.image] : []), ...(reply.images ?? [])];
  for (const image of images) screen.print(`  ${await screen.imageLine(image, locale)}`);
  screen.showRows(reply.image?.taskId ?? 'menu', reply.rows ?? []);
  return undefined;
}
