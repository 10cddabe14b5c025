import type { TicketNoteView, TicketPriority, TicketStatus, TicketView } from '@switchboard/contracts';
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { fullTime, relativeTime } from '../relative-time.js';
import { breachAnnouncement, overdueMetrics, slaLines, type SlaLine, type SlaMetric } from '../sla-display.js';
import { t as tr } from '../i18n/core.js';
import { crmName, safeUrl, TICKET_PRIORITIES, TICKET_STATUSES, type TicketStore } from '../tickets.js';
import { presenceOption, teamPresence } from '../presence.js';
import { now, useStore, useTickets } from './context.js';
import { IconAlert, IconCheck, IconChevron, IconClock, IconWarn } from './icons.js';
import { lazyView } from './lazy.js';
import { NoteForm } from './note-form.js';

/** The team's custom ticket fields, a chunk fetched when a ticket is first shown. */
const TicketFields = lazyView(() => import('./ticket-fields-view.js').then((m) => m.TicketFieldsView));
/** The person from the CRM and their other conversations, a chunk fetched for the first linked conversation. */
const ContactCard = lazyView(() => import('./contact-card.js').then((m) => m.ContactCard));

/**
 * The open conversation's ticket: beside the thread on wide screens, a collapsible strip above
 * the messages on narrow ones. Only renders what TicketStore holds and calls its methods.
 */
export function TicketPanel() {
  const tickets = useTickets();
  const conv = useStore().openConversation.value;
  const panel = tickets.panel.value;
  const t = tickets.shown.value;
  const open = useSignal(false);
  const lines = t ? slaLines(t.sla, now.value) : [];
  const said = useSignal('');
  const seen = useRef<{ id: string | null; overdue: Set<SlaMetric> | null }>({ id: null, overdue: null });

  // Announce a timer that runs out while the ticket is on screen (not one already overdue when shown).
  useEffect(() => {
    const id = t?.id ?? null;
    const text = t ? breachAnnouncement(seen.current.id === id ? seen.current.overdue : null, lines, t.number) : null;
    if (seen.current.id !== id) said.value = '';
    seen.current = { id, overdue: t ? overdueMetrics(lines) : null };
    if (text) said.value = text;
  });

  if (!panel) return null;
  const late = lines.some((l) => l.tone === 'breached' && l.overdue);
  return (
    <aside class="ticket-panel" aria-label={tr('ticket.label')} data-testid="ticket-panel">
      <button class="tp-toggle" aria-expanded={open.value} aria-controls="tp-body" onClick={() => (open.value = !open.value)}>
        <span class="tp-toggle-main">
          {t
            ? tr('ticket.summary', { n: t.number, status: tr(`ticket.status.${t.status}`), priority: tr(`ticket.priority.${t.priority}`) })
            : panel.phase === 'ready'
              ? tr('ticket.noneYet')
              : tr('ticket.label')}
        </span>
        {late && (
          <span class="tp-late">
            <IconWarn size={14} /> {tr('ticket.slaBreached')}
          </span>
        )}
        <IconChevron size={16} class="tp-chevron" />
      </button>
      <div id="tp-body" class="tp-body" data-open={open.value}>
        {panel.phase === 'loading' ? (
          <div class="tp-loading" aria-busy="true" aria-label={tr('ticket.loading')}>
            <span class="sk sk-line" />
            <span class="sk sk-line short" />
          </div>
        ) : panel.phase === 'error' ? (
          <div class="inline-error" role="alert">
            <span>{tr('ticket.loadFailed', { reason: panel.error ?? '' })}</span>
            <button class="btn btn-small" onClick={() => tickets.reload()}>
              {tr('common.retry')}
            </button>
          </div>
        ) : t ? (
          <TicketDetails tickets={tickets} t={t} lines={lines} />
        ) : (
          <NoTicket tickets={tickets} />
        )}
        {conv?.crmContactId && <ContactCard key={conv.crmContactId} contactId={conv.crmContactId} conversationId={conv.id} />}
      </div>
      <p class="sr-only" aria-live="assertive" aria-atomic="true">
        {said.value}
      </p>
    </aside>
  );
}

function ChangeError({ tickets }: { tickets: TicketStore }) {
  const error = tickets.error.value;
  if (!error) return null;
  return (
    <div class="inline-error tp-error" role="alert" data-testid="ticket-error">
      <span>{error}</span>
      <button class="icon-btn" aria-label={tr('app.dismiss')} onClick={() => tickets.dismissError()}>
        ×
      </button>
    </div>
  );
}

function NoTicket({ tickets }: { tickets: TicketStore }) {
  const creating = tickets.creating.value;
  return (
    <div class="tp-none">
      <p class="muted">{tr('ticket.noTicket')}</p>
      <button class="btn btn-primary btn-small" data-testid="ticket-create" disabled={creating} onClick={() => void tickets.create()}>
        {creating ? tr('ticket.creating') : tr('ticket.create')}
      </button>
      <ChangeError tickets={tickets} />
    </div>
  );
}

function TicketDetails({ tickets, t, lines }: { tickets: TicketStore; t: TicketView; lines: SlaLine[] }) {
  const teams = tickets.teams.value;
  return (
    <>
      <header class="tp-head">
        <h2>
          <span data-testid="ticket-number">#{t.number}</span>
        </h2>
        <p class="tp-subject" title={t.subject}>
          {t.subject || tr('ticket.noSubject')}
        </p>
      </header>
      <ChangeError tickets={tickets} />
      <div class="tp-grid">
        <label class="tp-field">
          <span>{tr('ticket.statusLabel')}</span>
          <select class="select" data-testid="ticket-status" value={t.status} onChange={(e) => void tickets.change({ status: e.currentTarget.value as TicketStatus })}>
            {TICKET_STATUSES.map((v) => (
              <option key={v} value={v}>
                {tr(`ticket.status.${v}`)}
              </option>
            ))}
          </select>
        </label>
        <label class="tp-field">
          <span>{tr('ticket.priorityLabel')}</span>
          <select
            class={`select prio-${t.priority}`}
            data-testid="ticket-priority"
            value={t.priority}
            onChange={(e) => void tickets.change({ priority: e.currentTarget.value as TicketPriority })}
          >
            {TICKET_PRIORITIES.map((v) => (
              <option key={v} value={v}>
                {tr(`ticket.priority.${v}`)}
              </option>
            ))}
          </select>
        </label>
        <label class="tp-field tp-wide">
          <span>{tr('thread.assignee')}</span>
          <select class="select" data-testid="ticket-assignee" value={t.assigneeId ?? ''} onChange={(e) => void tickets.change({ assigneeId: e.currentTarget.value || null })}>
            <option value="">{tr('store.unassigned')}</option>
            {tickets.assignees.value.map((a) => {
              const presence = teamPresence.value[a.id]?.status ?? 'offline';
              return (
                <option key={a.id} value={a.id} data-presence={presence}>
                  {presenceOption(a.name, presence)}
                </option>
              );
            })}
          </select>
        </label>
        <label class="tp-field tp-wide">
          <span>{tr('ticket.team')}</span>
          <select class="select" data-testid="ticket-team" value={t.teamId ?? ''} onChange={(e) => void tickets.change({ teamId: e.currentTarget.value || null })}>
            <option value="">{tr('ticket.noTeam')}</option>
            {t.teamId && !teams.some((x) => x.id === t.teamId) && <option value={t.teamId}>{tr('ticket.anotherTeam')}</option>}
            {teams.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Tags key={t.id} tickets={tickets} tags={t.tags} />
      <TicketFields />
      <section class="tp-section" aria-labelledby="tp-sla">
        <h3 id="tp-sla">SLA</h3>
        {lines.length === 0 ? <p class="muted">{tr('ticket.noSla')}</p> : <SlaList lines={lines} />}
      </section>
      <Crm crm={t.crm} />
      <Notes key={t.id} tickets={tickets} />
    </>
  );
}

function Tags({ tickets, tags }: { tickets: TicketStore; tags: string[] }) {
  const draft = useSignal('');
  const error = useSignal<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    error.value = tickets.addTags(draft.value);
    if (!error.value) draft.value = '';
  };
  return (
    <section class="tp-section" aria-labelledby="tp-tags">
      <h3 id="tp-tags">{tr('ticket.tags')}</h3>
      <form class="tag-row" onSubmit={submit}>
        {tags.map((tag) => (
          <span key={tag} class="tag-chip" data-testid="ticket-tag">
            {tag}
            <button
              type="button"
              class="tag-remove"
              aria-label={tr('ticket.removeTag', { tag })}
              onClick={() => {
                tickets.removeTag(tag);
                input.current?.focus();
              }}
            >
              ×
            </button>
          </span>
        ))}
        <input
          ref={input}
          class="tag-input"
          data-testid="ticket-tag-input"
          aria-label={tr('ticket.addTags')}
          placeholder={tr('ticket.addTag')}
          value={draft.value}
          onInput={(e) => {
            draft.value = e.currentTarget.value;
            error.value = null;
          }}
        />
      </form>
      {error.value && (
        <p class="tp-warn" role="alert">
          {error.value}
        </p>
      )}
    </section>
  );
}

function SlaList({ lines }: { lines: SlaLine[] }) {
  return (
    <ul class="sla-list">
      {lines.map((l) => (
        <li key={l.metric} class={`sla sla-${l.tone}`} data-testid="sla-timer" data-metric={l.metric} data-state={l.tone}>
          <span class="sla-label">{l.label}</span>
          <span class="sla-value" title={l.dueAt ? tr('ticket.due', { at: fullTime(l.dueAt) }) : undefined}>
            {l.tone === 'breached' ? <IconWarn size={14} /> : l.tone === 'met' ? <IconCheck size={14} /> : <IconClock size={13} />}
            {l.text}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Crm({ crm }: { crm: TicketView['crm'] }) {
  if (crm.status === 'none') return null;
  const url = safeUrl(crm.url);
  const name = crmName(crm.provider);
  return (
    <p class={`crm crm-${crm.status}`} data-testid="crm-link" data-status={crm.status} title={crm.status === 'pending' && crm.error ? tr('crm.lastAttempt', { reason: crm.error }) : undefined}>
      {crm.status === 'pending' ? (
        <>
          <IconClock size={14} class="crm-wait" /> {tr('crm.pending')}
        </>
      ) : crm.status === 'linked' ? (
        <>
          <IconCheck size={14} /> {tr('crm.linked')} ·{' '}
          {url ? (
            <a href={url} target="_blank" rel="noopener noreferrer">
              {name} ↗
            </a>
          ) : (
            name
          )}
        </>
      ) : (
        <>
          <IconAlert size={14} /> {crm.error ? tr('crm.failedWhy', { reason: crm.error }) : tr('crm.failed')}
        </>
      )}
    </p>
  );
}

function Notes({ tickets }: { tickets: TicketStore }) {
  const notes = tickets.notes.value;
  return (
    <section class="tp-section tp-notes" aria-labelledby="tp-notes">
      <h3 id="tp-notes">
        {tr('notes.title')} <span class="tp-internal">{tr('notes.teamOnly')}</span>
      </h3>
      {notes?.error && <p class="tp-warn">{tr('notes.loadFailed', { reason: notes.error })}</p>}
      {notes && !notes.loading && !notes.error && notes.items.length === 0 && <p class="muted">{tr('notes.none')}</p>}
      <ul class="note-list">
        {notes?.items.map((n) => (
          <Note key={n.id} n={n} />
        ))}
      </ul>
      <NoteForm tickets={tickets} />
      {tickets.noteError.value && (
        <p class="tp-warn" role="alert">
          {tickets.noteError.value}
        </p>
      )}
    </section>
  );
}

function Note({ n }: { n: TicketNoteView }) {
  return (
    <li class="note" data-testid="ticket-note">
      <div class="note-meta">
        <span class="note-author">{n.author.name ?? tr('msg.agent')}</span>
        <time dateTime={n.createdAt} title={fullTime(n.createdAt)}>
          {relativeTime(n.createdAt, now.value)}
        </time>
      </div>
      <p class="note-text">{n.text}</p>
    </li>
  );
}
