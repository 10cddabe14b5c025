import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { ConversationView, CrmContactCard } from '@switchboard/contracts';
import { channelLabel, contactHint, contactTitle, crmLink, dayLabel, mergeAbility, mergeCandidates, otherConversations, statusLabel, type DirectoryContact } from '../contact-card.js';
import { t } from '../i18n/contact.js';
import { useApi, useStore } from './context.js';
import { IconChat } from './icons.js';

/**
 * The person behind the open conversation, from the team's CRM: name, company, emails, phones,
 * channel handles, a link into the CRM, their other conversations on every channel, and — with
 * the built-in directory — "Merge with…" another contact. A chunk fetched when a conversation
 * linked to a CRM contact is first opened.
 */

const errorText = (err: unknown) => (err instanceof Error ? err.message : t('wentWrong'));
// By its status, not `instanceof ApiError`: importing api.ts here would split it out of the page's chunk.
const isNotFound = (err: unknown) => (err as { status?: unknown } | null)?.status === 404;
const listPath = (id: string) => `/api/v1/conversations?crmContactId=${encodeURIComponent(id)}&status=all&assignee=all&limit=20`;

export function ContactCard({ contactId, conversationId }: { contactId: string; conversationId: string }) {
  const api = useApi();
  const store = useStore();
  /** The contact's ids: the one linked, then those merged into it here (their conversations move over shortly). */
  const ids = useSignal<string[]>([contactId]);
  const card = useSignal<CrmContactCard | null>(null);
  const error = useSignal<string | null>(null);
  const conversations = useSignal<ConversationView[] | null>(null);
  const listError = useSignal<string | null>(null);

  useEffect(() => {
    let live = true;
    const [id] = ids.value;
    error.value = null;
    api.call<CrmContactCard>('GET', `/api/v1/crm/contacts/${encodeURIComponent(id!)}`).then(
      (c) => live && (card.value = c),
      (err: unknown) => live && (error.value = isNotFound(err) ? t('gone') : t('loadFailed', { reason: errorText(err) })),
    );
    Promise.all(ids.value.map((x) => api.call<{ items: ConversationView[] }>('GET', listPath(x)).then((p) => p.items))).then(
      (lists) => live && (conversations.value = otherConversations(lists, conversationId)),
      (err: unknown) => live && (listError.value = errorText(err)),
    );
    return () => void (live = false);
  }, [ids.value.join(' ')]);

  const c = card.value;
  return (
    <section class="tp-section contact-card" aria-labelledby="cc-title" data-testid="contact-card">
      <h3 id="cc-title">{t('title')}</h3>
      {error.value && <p class="tp-warn">{error.value}</p>}
      {!c && !error.value && <p class="muted">{t('loading')}</p>}
      {c && (
        <>
          <p class="cc-name" data-testid="contact-name">
            {contactTitle(c.contact)}
            {c.contact.company && <span class="muted"> · {c.contact.company}</span>}
          </p>
          <ul class="cc-details">
            {c.contact.emails.map((e) => (
              <li key={e}>
                <a href={`mailto:${e}`}>{e}</a>
              </li>
            ))}
            {c.contact.phones.map((p) => (
              <li key={p}>
                <a href={`tel:${p}`}>{p}</a>
              </li>
            ))}
            {c.contact.handles.map((h) => (
              <li key={`${h.channel}:${h.id}`} class="muted">
                {channelLabel(h.channel)}: {h.id}
              </li>
            ))}
          </ul>
          {crmLink(c) && (
            <a class="cc-link" href={crmLink(c)!.href} target="_blank" rel="noopener noreferrer">
              {crmLink(c)!.text} ↗
            </a>
          )}
        </>
      )}
      <h4 class="cc-sub">{t('others')}</h4>
      {listError.value && <p class="tp-warn">{t('othersFailed', { reason: listError.value })}</p>}
      {conversations.value?.length === 0 && <p class="muted">{t('none')}</p>}
      <ul class="cc-convs">
        {conversations.value?.map((x) => (
          <li key={x.id}>
            <a class="cc-conv" href={`#/c/${encodeURIComponent(x.id)}`} data-testid="contact-conversation" data-id={x.id}>
              <IconChat size={14} />
              <span class="cc-conv-main">
                <span>
                  {channelLabel(x.channel)} · {statusLabel(x.status)}
                  {x.lastMessage && <span class="muted"> · {dayLabel(x.lastMessage.at)}</span>}
                </span>
                <span class="muted cc-conv-text">{x.lastMessage?.text ?? t('noMessages')}</span>
              </span>
            </a>
          </li>
        ))}
      </ul>
      {c && <Merge card={c} ids={ids.value} role={store.agent.value?.role} onMerged={(from) => (ids.value = [...ids.value, from])} />}
    </section>
  );
}

function Merge({ card, ids, role, onMerged }: { card: CrmContactCard; ids: string[]; role: Parameters<typeof mergeAbility>[1]; onMerged: (from: string) => void }) {
  const api = useApi();
  const open = useSignal(false);
  const q = useSignal('');
  const results = useSignal<DirectoryContact[]>([]);
  const chosen = useSignal<DirectoryContact | null>(null);
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const done = useSignal<string | null>(null);
  const ability = mergeAbility(card, role);

  useEffect(() => {
    const text = q.value.trim();
    if (!open.value || text.length < 2) return void (results.value = []);
    let live = true;
    const timer = setTimeout(() => {
      api.call<{ items: DirectoryContact[] }>('GET', `/api/v1/directory/contacts?q=${encodeURIComponent(text)}&limit=8`).then(
        (page) => live && (results.value = mergeCandidates(page.items, [card.contact.id, ...ids])),
        (err: unknown) => live && (error.value = errorText(err)),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q.value, open.value]);

  if (!ability.can) return <p class="muted cc-merge-note">{ability.why}</p>;
  const merge = async (other: DirectoryContact) => {
    busy.value = true;
    error.value = null;
    try {
      await api.call('POST', `/api/v1/directory/contacts/${encodeURIComponent(card.contact.id)}/merge`, { from: other.id });
      done.value = t('merged', { name: contactTitle(other) });
      open.value = false;
      chosen.value = null;
      q.value = '';
      onMerged(other.id);
    } catch (err) {
      error.value = t('mergeFailed', { reason: errorText(err) });
    } finally {
      busy.value = false;
    }
  };
  return (
    <div class="cc-merge">
      {done.value && (
        <p class="cc-done" role="status">
          {done.value}
        </p>
      )}
      {!open.value ? (
        <button class="btn btn-small" data-testid="contact-merge-open" onClick={() => (open.value = true)}>
          {t('mergeWith')}
        </button>
      ) : (
        <div role="group" aria-label={t('mergeGroup')}>
          <input
            class="input"
            data-testid="contact-merge-search"
            aria-label={t('mergeFind')}
            placeholder={t('mergePlaceholder')}
            value={q.value}
            onInput={(e) => {
              q.value = e.currentTarget.value;
              chosen.value = null;
            }}
          />
          <ul class="cc-results">
            {results.value.map((r) => (
              <li key={r.id}>
                <button class="cc-result" data-testid="contact-merge-result" aria-pressed={chosen.value?.id === r.id} onClick={() => (chosen.value = r)}>
                  <span>{contactTitle(r)}</span>
                  <span class="muted">{contactHint(r)}</span>
                </button>
              </li>
            ))}
          </ul>
          {q.value.trim().length >= 2 && results.value.length === 0 && <p class="muted">{t('noMatch')}</p>}
          {chosen.value && (
            <p class="cc-confirm">
              {t('confirm', { from: contactTitle(chosen.value), into: contactTitle(card.contact) })}{' '}
              <button class="btn btn-primary btn-small" data-testid="contact-merge-confirm" disabled={busy.value} onClick={() => void merge(chosen.value!)}>
                {busy.value ? t('merging') : t('merge')}
              </button>
            </p>
          )}
          <button class="btn btn-ghost btn-small" onClick={() => (open.value = false)}>
            {t('cancel')}
          </button>
        </div>
      )}
      {error.value && (
        <p class="tp-warn" role="alert">
          {error.value}
        </p>
      )}
    </div>
  );
}
