import { formatSize } from '../attachments.js';
import type { ConsoleStore } from '../console-store.js';
import { chipDetail } from '../uploads.js';
import { t } from '../i18n/core.js';
import { IconPaperclip } from './icons.js';

/** The files attached to the reply being written: a removable chip each, with size or status. */
export function ComposerFiles({ store, onRemoved }: { store: ConsoleStore; onRemoved: () => void }) {
  const files = store.composerFiles.value;
  if (files.length === 0) return null;
  return (
    <ul class="composer-files" aria-label={t('file.toSend')} aria-live="polite">
      {files.map((f) => (
        <li key={f.id} class={`file-chip file-chip-${f.state}`} data-testid="composer-file" data-state={f.state}>
          <IconPaperclip size={13} />
          <span class="file-chip-name" title={f.name}>
            {f.name}
          </span>
          <span class="file-chip-detail" role={f.state === 'failed' ? 'alert' : undefined}>
            {chipDetail(f)}
          </span>
          <button
            type="button"
            class="file-chip-remove"
            aria-label={t('file.removeNamed', { name: f.name })}
            title={t('file.remove')}
            onClick={() => {
              store.removeFile(f.id);
              // The chip and its button are gone: keep the keyboard in the reply box.
              onRemoved();
            }}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

/** A file of a reply not stored yet: its name and size, no link. */
export function FileLine({ name, size }: { name: string; size: number | undefined }) {
  const shown = formatSize(size);
  return (
    <span class="attachment">
      <IconPaperclip size={14} />
      <span class="attachment-name">{name}</span>
      {shown && <span class="attachment-size">{shown}</span>}
    </span>
  );
}
