import type { CannedResponseView } from '@switchboard/contracts';
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { useApi } from '../context.js';
import { IconChat } from '../icons.js';

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
  if (!SHORTCUT.test(shortcut) || shortcut.length > 40) return 'The shortcut takes lowercase letters, digits and dashes (such as "refund" or "order-status"), at most 40.';
  if (!d.title.trim()) return 'Give it a title.';
  if (d.title.trim().length > 120) return 'The title can be at most 120 characters.';
  if (!d.text.trim()) return 'Write the text to insert.';
  if (d.text.length > TEXT_MAX) return `The text can be at most ${TEXT_MAX.toLocaleString('en')} characters (it has ${d.text.length.toLocaleString('en')}).`;
  return null;
}

const PATH = '/api/v1/canned-responses';

/**
 * Administration → Canned responses: the replies agents insert with "/" + shortcut in the reply
 * box. List, add, edit, delete; the server refuses non-admins and a shortcut already used.
 */
export function CannedAdmin() {
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
        Agents type <kbd>/</kbd> and the shortcut in the reply box to insert one. The text may use {'{{contact.name}}'}, {'{{contact.email}}'} and{' '}
        {'{{agent.name}}'}, filled in when it is inserted.
      </p>
      {editing.value === 'new' ? (
        <Editor title="New canned response" onSaved={saved} onCancel={() => (editing.value = null)} />
      ) : (
        <button type="button" class="btn btn-primary" data-testid="canned-new" onClick={() => (editing.value = 'new')}>
          Add canned response
        </button>
      )}
      {loadError.value && (
        <p class="inline-error" role="alert">
          Canned responses could not be loaded. {loadError.value}
        </p>
      )}
      {items.value === null && !loadError.value && <p class="muted">Loading…</p>}
      {items.value?.length === 0 && <p class="muted">No canned responses yet.</p>}
      <ul class="channel-list" aria-label="Canned responses">
        {items.value?.map((c) =>
          editing.value === c.id ? (
            <li key={c.id} class="channel-item admin-item" data-testid="canned-item" data-id={c.id}>
              <Editor title={`Edit /${c.shortcut}`} initial={c} onSaved={saved} onCancel={() => (editing.value = null)} />
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
          Edit
        </button>
        {asking.value ? (
          <span class="admin-row" role="group" aria-label={`Delete /${c.shortcut}?`}>
            <span>Delete /{c.shortcut}?</span>
            <button type="button" class="btn btn-small btn-danger" data-testid="canned-delete-confirm" onClick={() => void remove()}>
              Delete
            </button>
            <button type="button" class="btn btn-small" onClick={() => (asking.value = false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" class="btn btn-small" data-testid="canned-delete" onClick={() => (asking.value = true)}>
            Delete
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
        Shortcut
        <input class="input" data-testid="canned-shortcut" value={d.shortcut} placeholder="refund" maxLength={41} onInput={(e) => set({ shortcut: e.currentTarget.value })} />
      </label>
      <label>
        Title
        <input class="input" data-testid="canned-title" value={d.title} placeholder="Refund on its way" maxLength={120} onInput={(e) => set({ title: e.currentTarget.value })} />
      </label>
      <label>
        Text
        <textarea class="input" data-testid="canned-text" rows={5} value={d.text} placeholder="Hi {{contact.name}}, your refund is on its way." onInput={(e) => set({ text: e.currentTarget.value })} />
        <span class="muted">
          {d.text.length.toLocaleString('en')} / {TEXT_MAX.toLocaleString('en')}
        </span>
      </label>
      {error.value && (
        <p class="inline-error" role="alert" data-testid="canned-error">
          {error.value}
        </p>
      )}
      <div class="admin-row">
        <button type="submit" class="btn btn-primary" data-testid="canned-save" disabled={busy.value}>
          {busy.value ? 'Saving…' : 'Save'}
        </button>
        <button type="button" class="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
