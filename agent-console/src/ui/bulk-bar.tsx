import type { ConversationView } from '@switchboard/contracts';
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { TeamAgent } from '../api.js';
import type { ConsoleStore } from '../console-store.js';
import { BULK_PATH, bulkSummary, runBulk, runEach, snoozeOne, tagOne, type BulkAction, type BulkResult, type TagRules } from '../bulk-actions.js';
import { t } from '../i18n/bulk.js';
import { snoozeOptions } from '../snooze.js';
import { useApi, useStore, useTickets } from './context.js';
import { IconCheck, IconClock, IconReopen, IconResolve, IconUser } from './icons.js';

/**
 * The bar over the conversation list while conversations are ticked: how many, select all
 * loaded, clear, and the actions on all of them at once. A chunk of its own, fetched the first
 * time something is ticked; the list hands in the selection and what to do with the outcome.
 */

export interface BulkBarProps {
  /** The ticked conversations, in list order. */
  ids: string[];
  /** How many conversations the list has loaded. */
  loaded: number;
  onSelectAll(): void;
  onClear(): void;
  /** The action ran: these could not be changed (they stay ticked). */
  onDone(failed: string[]): void;
  /** The contact's name of a listed conversation, for the result. */
  nameOf(id: string): string;
  /** Show changed conversations in the list at once. */
  apply(views: ConversationView[]): void;
  /** How tags are read and which ticket is a conversation's, as the ticket panel does it. */
  tagRules: TagRules;
}

const INFO_MS = 6000;
const ERROR_MS = 12_000;
let noticeSeq = 0;

/** The console's toast, with our own timer (a failure stays longer: it names what to look at). */
function toast(store: ConsoleStore, kind: 'info' | 'error', text: string): void {
  const id = -++noticeSeq;
  store.notice.value = { id, kind, text };
  setTimeout(() => {
    if (store.notice.peek()?.id === id) store.notice.value = null;
  }, kind === 'error' ? ERROR_MS : INFO_MS);
}

export function BulkBar(props: BulkBarProps) {
  const store = useStore();
  const api = useApi();
  const tickets = useTickets();
  const busy = useSignal(false);
  // The team's agents, as the ticket panel knows them; fetched here when it has not yet.
  const fetched = useSignal<TeamAgent[]>([]);
  useEffect(() => {
    if (tickets.agents.peek().length > 0) return;
    api.call<{ items: TeamAgent[] }>('GET', '/api/v1/agents').then(
      (r) => (fetched.value = r.items),
      () => {}, // "Assign to…" then lists nobody; the other actions work
    );
  }, []);

  const me = store.agent.value;
  const team = tickets.agents.value.length > 0 ? tickets.agents.value : fetched.value;
  const others = team.filter((a) => a.active !== false && a.id !== me?.id).sort((a, b) => a.name.localeCompare(b.name));
  const n = props.ids.length;

  const run = async (action: BulkAction) => {
    if (busy.value || n === 0) return;
    busy.value = true;
    try {
      const call = api.call.bind(api);
      const results =
        action.kind === 'snooze'
          ? await runEach(props.ids, snoozeOne(call, action.until))
          : action.kind === 'tag'
            ? await runEach(props.ids, tagOne(call, action.tags, props.tagRules))
            : await runBulk(action, props.ids, (body) => call<{ results: BulkResult[] }>('POST', BULK_PATH, body));
      const summary = bulkSummary(action, results, props.nameOf);
      props.apply(results.flatMap((r) => (r.ok && r.conversation ? [r.conversation] : [])));
      props.onDone(results.filter((r) => !r.ok).map((r) => r.id));
      toast(store, summary.kind, summary.text);
    } finally {
      busy.value = false;
    }
  };

  const tagText = useSignal('');
  const addTags = (e: Event) => {
    e.preventDefault();
    const { add, error } = props.tagRules.parseTags(tagText.value, []);
    if (error || add.length === 0) return toast(store, 'error', error ?? t('noTags'));
    tagText.value = '';
    void run({ kind: 'tag', tags: add });
  };
  const snoozes = snoozeOptions(new Date());

  const disabled = busy.value;
  return (
    <section class="bulk-bar" aria-label={t('label')} data-testid="bulk-bar" aria-busy={disabled ? 'true' : undefined}>
      <div class="bulk-head">
        <span class="bulk-count" role="status" data-testid="bulk-count">
          {disabled ? t('updating', { n }) : t('selected', { n })}
        </span>
        {n < props.loaded && (
          <button class="btn btn-ghost btn-small" data-testid="bulk-select-all" disabled={disabled} onClick={props.onSelectAll}>
            {t('selectAll', { n: props.loaded })}
          </button>
        )}
        <button class="icon-btn bulk-clear" aria-label={t('clear')} title={t('clear')} data-testid="bulk-clear" onClick={props.onClear}>
          ×
        </button>
      </div>
      <div class="bulk-actions">
        {me && (
          <button class="btn btn-small" data-testid="bulk-assign-me" disabled={disabled} onClick={() => void run({ kind: 'assign', agentId: me.id, to: t('you') })}>
            <IconUser size={14} /> {t('assignMe')}
          </button>
        )}
        <select
          class="bulk-select"
          aria-label={t('assignOther')}
          data-testid="bulk-assign-to"
          disabled={disabled || others.length === 0}
          value=""
          onChange={(e) => {
            const id = e.currentTarget.value;
            e.currentTarget.value = '';
            const agent = others.find((a) => a.id === id);
            if (agent) void run({ kind: 'assign', agentId: agent.id, to: agent.name });
          }}
        >
          <option value="">{t('assignTo')}</option>
          {others.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
        <button class="btn btn-small" data-testid="bulk-unassign" disabled={disabled} onClick={() => void run({ kind: 'assign', agentId: null })}>
          {t('unassign')}
        </button>
        <button class="btn btn-small btn-resolve" data-testid="bulk-resolve" disabled={disabled} onClick={() => void run({ kind: 'status', status: 'resolved' })}>
          <IconResolve size={14} /> {t('resolve')}
        </button>
        <button class="btn btn-small" data-testid="bulk-reopen" disabled={disabled} onClick={() => void run({ kind: 'status', status: 'open' })}>
          <IconReopen size={14} /> {t('reopen')}
        </button>
        <button class="btn btn-small" data-testid="bulk-pending" disabled={disabled} onClick={() => void run({ kind: 'status', status: 'pending' })}>
          <IconClock size={14} /> {t('pending')}
        </button>
        <button class="btn btn-small" data-testid="bulk-read" disabled={disabled} onClick={() => void run({ kind: 'read' })}>
          <IconCheck size={14} /> {t('read')}
        </button>
        <select
          class="bulk-select"
          aria-label={t('snoozeLabel')}
          data-testid="bulk-snooze"
          disabled={disabled}
          value=""
          onChange={(e) => {
            const o = snoozes.find((s) => s.id === e.currentTarget.value);
            e.currentTarget.value = '';
            if (o) void run({ kind: 'snooze', until: o.at, label: o.hint });
          }}
        >
          <option value="">{t('snooze')}</option>
          {snoozes.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
        <form class="bulk-tag" onSubmit={addTags}>
          <input
            class="bulk-select"
            aria-label={t('tagLabel')}
            placeholder={t('tagPlaceholder')}
            data-testid="bulk-tag-input"
            disabled={disabled}
            value={tagText.value}
            onInput={(e) => (tagText.value = e.currentTarget.value)}
          />
          <button class="btn btn-small" data-testid="bulk-tag" disabled={disabled}>
            {t('tag')}
          </button>
        </form>
      </div>
    </section>
  );
}
