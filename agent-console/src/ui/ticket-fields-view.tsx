import type { TicketView } from '@switchboard/contracts';
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { FIELDS_PATH, fieldChange, fromInput, newerVersion, sameValue, selectOptions, toInput, type FieldValue, type TicketFieldDef } from '../ticket-fields.js';
import { useApi, useTickets } from './context.js';
import { IconAlert } from './icons.js';
import { t as tr } from '../i18n/core.js';

/** The definitions last listed: shown at once when the next ticket opens, while they are asked for again. */
let known: TicketFieldDef[] | null = null;

type Save = (ticketId: string, key: string, value: FieldValue) => Promise<void>;

/**
 * The shown ticket's custom fields in the ticket panel, each with the input its type takes, saved
 * when the agent changes one (a refusal puts the value back and shows the server's sentence).
 * Nothing when the team defines no fields. A chunk of its own, loaded by ticket-panel.tsx.
 */
export function TicketFieldsView() {
  const api = useApi();
  const held = useTickets().shown.value;
  const defs = useSignal(known);
  const failed = useSignal<string | null>(null);
  const attempt = useSignal(0);
  /** The newest version a save answered, shown until the ticket:updated event brings it to the panel. */
  const saved = useSignal<TicketView | null>(null);

  useEffect(() => {
    let live = true;
    api.call<{ items: TicketFieldDef[] }>('GET', FIELDS_PATH).then(
      ({ items }) => {
        if (!live) return;
        known = items;
        defs.value = items;
        failed.value = null;
      },
      (err: unknown) => {
        if (live && !defs.value) failed.value = sentence(err);
      },
    );
    return () => (live = false);
  }, [attempt.value]);

  if (!held) return null;
  if (failed.value)
    return (
      <p class="tp-warn" role="alert">
        {tr('fields.loadFailed', { reason: failed.value })}{' '}
        <button class="btn btn-small" onClick={() => attempt.value++}>
          {tr('common.retry')}
        </button>
      </p>
    );
  if (!defs.value?.length) return null;
  const t = newerVersion(held, saved.value);
  const save: Save = async (id, key, value) => {
    const answer = await api.call<TicketView>('PATCH', `/api/v1/tickets/${encodeURIComponent(id)}`, fieldChange(key, value));
    saved.value = saved.value ? newerVersion(answer, saved.value) : answer;
  };
  return (
    <section class="tp-section" aria-labelledby="tp-fields" data-testid="ticket-fields">
      <h3 id="tp-fields">{tr('fields.title')}</h3>
      <div class="tp-grid">
        {defs.value.map((d) => (
          <Field key={`${t.id}:${d.id}`} def={d} ticketId={t.id} stored={t.fields[d.key]} save={save} />
        ))}
      </div>
    </section>
  );
}

function Field({ def, ticketId, stored, save }: { def: TicketFieldDef; ticketId: string; stored: FieldValue | undefined; save: Save }) {
  /** What the input holds while the agent edits it or its save is on the way; null: the stored value. */
  const draft = useSignal<string | null>(null);
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);

  const commit = async (input: string) => {
    const value = fromInput(def, input);
    if (sameValue(stored, value)) return void (draft.value = null);
    draft.value = input;
    busy.value = true;
    error.value = null;
    try {
      await save(ticketId, def.key, value);
    } catch (err) {
      error.value = sentence(err) || null;
    } finally {
      draft.value = null;
      busy.value = false;
    }
  };
  const id = `tp-field-${def.key}`;
  const common = {
    id,
    class: 'select',
    'data-testid': 'ticket-field-input',
    'data-key': def.key,
    'aria-busy': busy.value,
    'aria-invalid': error.value !== null,
    'aria-describedby': error.value ? `${id}-error` : undefined,
    value: draft.value ?? toInput(def, stored),
    onInput: (e: Event) => {
      draft.value = (e.currentTarget as HTMLInputElement).value;
      error.value = null;
    },
    // A change is saved at once; leaving an input unchanged lets the stored value show again.
    onBlur: () => void (busy.value || (draft.value = null)),
  };
  return (
    <div class={`tp-field${def.type === 'text' ? ' tp-wide' : ''}`}>
      <label for={id}>{def.label}</label>
      {def.type === 'select' ? (
        <select {...common} onChange={(e) => void commit(e.currentTarget.value)}>
          <option value="">—</option>
          {selectOptions(def, stored).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type={def.type === 'date' ? 'date' : 'text'}
          inputMode={def.type === 'number' ? 'decimal' : undefined}
          // A date half typed is no date yet: it is saved once complete, not cleared meanwhile.
          onChange={(e) => void (e.currentTarget.validity.badInput || commit(e.currentTarget.value))}
        />
      )}
      {error.value && (
        <span id={`${id}-error`} class="tp-warn tp-field-error" role="alert" data-testid="ticket-field-error">
          <IconAlert size={13} /> {error.value}
        </span>
      )}
    </div>
  );
}

/** The server's sentence; nothing when the session ended (the console shows the sign-in instead). */
function sentence(err: unknown): string {
  if ((err as { code?: string }).code === 'SB_ERR_SESSION_ENDED') return '';
  return err instanceof Error && err.message ? err.message : tr('store.wentWrong');
}
