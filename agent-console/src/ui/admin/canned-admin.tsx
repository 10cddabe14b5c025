import type { CannedResponseView } from '@switchboard/contracts';
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { useApi } from '../context.js';
import { IconChat } from '../icons.js';
import { formatNumber } from '../../i18n/index.js';
import { t } from '../../i18n/admin.js';

/** The server's rules (platform/contracts canned.ts), checked before sending so mistakes are told at once. */
const SHORTCUT = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const TEXT_MAX = 5000;

interface Draft {
  shortcut: string;
  title: string;
  text: string;
}

/** What is wrong with a draft, in words; null when it can be sent. */
function problem(d: Draft): string | null {
  const shortcut = d.shortcut.trim().replace(/^\//, '');
  if (!SHORTCUT.test(shortcut) || shortcut.length > 40) return t('canned.badShortcut');
  if (!d.title.trim()) return t('canned.noTitle');
  if (d.title.trim().length > 120) return t('canned.longTitle');
  if (!d.text.trim()) return t('canned.noText');
  if (d.text.length > TEXT_MAX) return t('canned.longText', { max: formatNumber(TEXT_MAX), n: formatNumber(d.text.length) });
  return null;
}

const PATH = '/api/v1/canned-responses';

/**
 * Administration → Canned responses: the replies agents insert with "/" + shortcut in the reply
 * box. List, add, edit, delete; the server refuses non-admins and a shortcut already used.
 */
export default function CannedAdmin() {
  const api = useApi();
  const items = useSignal<CannedResponseView[] | null>(null);
  const loadError = useSignal<string | null>(null);
  /** 'new', an id being edited, or null. */
  const editing = useSignal<string | null>(null);

  useEffect(() => {
    api.call<{ items: CannedResponseView[] }>('GET', PATH).then(
      (r) => (items.value = r.items),
      (err: Error) => (loadError.value = err.message),
    );
  }, [api]);

  const saved = (c: CannedResponseView) => {
    const list = items.value ?? [];
    items.value = (list.some((x) => x.id === c.id) ? list.map((x) => (x.id === c.id ? c : x)) : [...list, c]).sort((a, b) => a.shortcut.localeCompare(b.shortcut));
    editing.value = null;
  };

  return (
    <div class="canned-admin" data-testid="canned-admin">
      <p class="muted">
        {t('canned.intro', { key: '\u0000' })
          .split('\u0000')
          .flatMap((part, i) => (i ? [<kbd key={i}>/</kbd>, part] : [part]))}
      </p>
      {editing.value === 'new' ? (
        <Editor title={t('canned.new')} onSaved={saved} onCancel={() => (editing.value = null)} />
      ) : (
        <button type="button" class="btn btn-primary" data-testid="canned-new" onClick={() => (editing.value = 'new')}>
          {t('canned.add')}
        </button>
      )}
      {loadError.value && (
        <p class="inline-error" role="alert">
          {t('canned.loadFailed', { reason: loadError.value })}
        </p>
      )}
      {items.value === null && !loadError.value && <p class="muted">{t('loading')}</p>}
      {items.value?.length === 0 && <p class="muted">{t('canned.none')}</p>}
      <ul class="channel-list" aria-label={t('tab.canned')}>
        {items.value?.map((c) =>
          editing.value === c.id ? (
            <li key={c.id} class="channel-item admin-item" data-testid="canned-item" data-id={c.id}>
              <Editor title={t('canned.edit', { shortcut: c.shortcut })} initial={c} onSaved={saved} onCancel={() => (editing.value = null)} />
            </li>
          ) : (
            <Row key={c.id} c={c} onEdit={() => (editing.value = c.id)} onDeleted={() => (items.value = (items.value ?? []).filter((x) => x.id !== c.id))} />
          ),
        )}
      </ul>
    </div>
  );
}

function Row({ c, onEdit, onDeleted }: { c: CannedResponseView; onEdit: () => void; onDeleted: () => void }) {
  const api = useApi();
  const asking = useSignal(false);
  const error = useSignal<string | null>(null);
  const remove = async () => {
    asking.value = false;
    try {
      await api.call('DELETE', `${PATH}/${encodeURIComponent(c.id)}`);
      onDeleted();
    } catch (err) {
      error.value = (err as Error).message;
    }
  };
  return (
    <li class="channel-item admin-item" data-testid="canned-item" data-id={c.id} data-shortcut={c.shortcut}>
      <div>
        <strong>
          <IconChat size={14} /> /{c.shortcut}
        </strong>{' '}
        {c.title}
      </div>
      <p class="muted canned-admin-text">{c.text}</p>
      <div class="admin-row">
        <button type="button" class="btn btn-small" data-testid="canned-edit" onClick={onEdit}>
          {t('canned.editBtn')}
        </button>
        {asking.value ? (
          <span class="admin-row" role="group" aria-label={t('canned.deleteQ', { shortcut: c.shortcut })}>
            <span>{t('canned.deleteQ', { shortcut: c.shortcut })}</span>
            <button type="button" class="btn btn-small btn-danger" data-testid="canned-delete-confirm" onClick={() => void remove()}>
              {t('delete')}
            </button>
            <button type="button" class="btn btn-small" onClick={() => (asking.value = false)}>
              {t('cancel')}
            </button>
          </span>
        ) : (
          <button type="button" class="btn btn-small" data-testid="canned-delete" onClick={() => (asking.value = true)}>
            {t('delete')}
          </button>
        )}
      </div>
      {error.value && (
        <p class="inline-error" role="alert">
          {error.value}
        </p>
      )}
    </li>
  );
}

function Editor({ title, initial, onSaved, onCancel }: { title: string; initial?: CannedResponseView; onSaved: (c: CannedResponseView) => void; onCancel: () => void }) {
  const api = useApi();
  const draft = useSignal<Draft>({ shortcut: initial?.shortcut ?? '', title: initial?.title ?? '', text: initial?.text ?? '' });
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);
  const set = (change: Partial<Draft>) => (draft.value = { ...draft.value, ...change });

  const save = async (e: Event) => {
    e.preventDefault();
    const d = draft.value;
    error.value = problem(d);
    if (error.value) return;
    const body = { shortcut: d.shortcut.trim().replace(/^\//, ''), title: d.title.trim(), text: d.text };
    busy.value = true;
    try {
      onSaved(initial ? await api.call<CannedResponseView>('PATCH', `${PATH}/${encodeURIComponent(initial.id)}`, body) : await api.call<CannedResponseView>('POST', PATH, body));
    } catch (err) {
      error.value = (err as Error).message;
    } finally {
      busy.value = false;
    }
  };

  const d = draft.value;
  return (
    <form class="canned-editor" aria-label={title} data-testid="canned-editor" onSubmit={(e) => void save(e)}>
      <h3>{title}</h3>
      <label>
        {t('canned.shortcut')}
        <input class="input" data-testid="canned-shortcut" value={d.shortcut} placeholder="refund" maxLength={41} onInput={(e) => set({ shortcut: e.currentTarget.value })} />
      </label>
      <label>
        {t('canned.title')}
        <input class="input" data-testid="canned-title" value={d.title} placeholder={t('canned.titlePlaceholder')} maxLength={120} onInput={(e) => set({ title: e.currentTarget.value })} />
      </label>
      <label>
        {t('canned.text')}
        <textarea class="input" data-testid="canned-text" rows={5} value={d.text} placeholder={t('canned.textPlaceholder')} onInput={(e) => set({ text: e.currentTarget.value })} />
        <span class="muted">
          {formatNumber(d.text.length)} / {formatNumber(TEXT_MAX)}
        </span>
      </label>
      {error.value && (
        <p class="inline-error" role="alert" data-testid="canned-error">
          {error.value}
        </p>
      )}
      <div class="admin-row">
        <button type="submit" class="btn btn-primary" data-testid="canned-save" disabled={busy.value}>
          {busy.value ? t('saving') : t('save')}
        </button>
        <button type="button" class="btn" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
