import type { MacroRunResult } from '@switchboard/contracts';
import { t } from '../i18n/core.js';

/** Its own module so the header's macro menu does not carry the rule editor's words. */

/** The toast after an agent ran a macro: what it did, and what it skipped and why. */
export function macroResultText(name: string, r: MacroRunResult): string {
  const skipped = r.actions.filter((a) => a.skipped);
  const done = r.actions.length - skipped.length;
  const head = t('macro.ran', { name, count: done });
  return skipped.length ? t('macro.skipped', { head, n: skipped.length, why: skipped.map((a) => a.skipped).join('; ') }) : `${head}.`;
}
