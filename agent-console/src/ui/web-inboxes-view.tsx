import type { ComponentType } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { WebInboxUpdate, WebInboxView } from '@switchboard/contracts';
import { webInboxApi, type WebInboxApi } from '../web-inbox-api.js';
import { originsHelp, parseOrigin, putInbox, rotateQuestion, withOrigin, withoutOrigin } from '../web-inboxes.js';
import { AddByName } from './add-by-name.js';
import { useApi } from './context.js';
import { t } from '../i18n/channels.js';

/**
 * The "Website" part of channel settings (admins): the team's website inboxes, each with the
 * snippet to paste (and Copy), its allowed origins, rename and a new token; adding one; its chat
 * settings behind a toggle. Part of the lazily loaded channel settings chunk (imported only by
 * channels-view.tsx); the chat settings editor is a chunk of its own, loaded when first opened.
 */
export function WebInboxesSection({ live }: { live: boolean }) {
  const http = useApi();
  const api = useMemo(() => webInboxApi(http), [http]);
  const [inboxes, setInboxes] = useState<WebInboxView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  // (Re)load on open and after a reconnect, like the channel list.
  useEffect(() => {
    let current = true;
    api.list().then(
      ({ items }) => {
        if (!current) return;
        setInboxes(items);
        setError(null);
      },
      (err: Error) => current && setError(err.message),
    );
    return () => {
      current = false;
    };
  }, [api, live]);

  const put = (inbox: WebInboxView) => setInboxes((list) => putInbox(list ?? [], inbox));

  return (
    <section class="web-inboxes" aria-labelledby="web-inboxes-title">
      <h2 id="web-inboxes-title">{t('web.title')}</h2>
      {error && (
        <div class="inline-error" role="alert">
          {t('web.loadFailed', { reason: error })}
        </div>
      )}
      {inboxes === null && !error && <p class="muted">{t('loading')}</p>}
      {inboxes?.length === 0 && <p class="muted">{t('web.none')}</p>}
      <ul class="channel-list">
        {inboxes?.map((w) => (
          <WebInboxItem key={w.id} inbox={w} api={api} onSaved={put} />
        ))}
      </ul>
      <AddWebInbox api={api} onAdded={put} />
    </section>
  );
}

function WebInboxItem({ inbox, api, onSaved }: { inbox: WebInboxView; api: WebInboxApi; onSaved: (w: WebInboxView) => void }) {
  const [name, setName] = useState(inbox.name);
  const [origin, setOrigin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [open, setOpen] = useState(false);
  const code = useRef<HTMLTextAreaElement>(null);

  useEffect(() => setName(inbox.name), [inbox.name]);

  const run = async (call: () => Promise<WebInboxView>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      onSaved(await call());
      return true;
    } catch (err) {
      setError((err as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const update = (change: WebInboxUpdate) => run(() => api.update(inbox.id, change));

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(inbox.snippet);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      code.current?.select();
      setError(t('web.copyFailed'));
    }
  };

  const rename = (e: Event) => {
    e.preventDefault();
    const n = name.trim();
    if (n && n !== inbox.name && !busy) void update({ name: n });
  };

  const addOrigin = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const r = parseOrigin(origin);
    if (!r.ok) return setError(r.error);
    if (await update({ allowedOrigins: withOrigin(inbox.allowedOrigins, r.origin) })) setOrigin('');
  };

  const rotate = () => {
    if (!busy && confirm(rotateQuestion(inbox.name))) void run(() => api.rotate(inbox.id));
  };

  return (
    <li class="channel-item web-inbox" data-testid="web-inbox" data-id={inbox.id} data-token={inbox.widgetToken}>
      <form class="channel-add-row" onSubmit={rename}>
        <input
          class="input"
          data-testid="web-inbox-name"
          aria-label={t('web.name')}
          maxLength={120}
          value={name}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
        <button class="btn" data-testid="web-inbox-rename" type="submit" disabled={busy || !name.trim() || name.trim() === inbox.name}>
          {t('web.rename')}
        </button>
      </form>
      <label class="muted" for={`snippet-${inbox.id}`}>
        {t('web.paste')}
      </label>
      <textarea id={`snippet-${inbox.id}`} class="web-snippet" data-testid="web-inbox-snippet" readOnly rows={3} value={inbox.snippet} ref={code} />
      <div class="channel-add-row">
        <button class="btn" data-testid="web-inbox-copy" type="button" onClick={copy}>
          {copied ? t('web.copied') : t('web.copy')}
        </button>
        <button class="btn" data-testid="web-inbox-rotate" type="button" disabled={busy} onClick={rotate}>
          {t('web.rotate')}
        </button>
      </div>
      <h3>{t('web.origins')}</h3>
      <p class="muted">{originsHelp()}</p>
      <ul class="web-origins">
        {inbox.allowedOrigins.map((o) => (
          <li key={o} data-testid="web-inbox-origin" data-origin={o}>
            <code>{o}</code>
            <button
              class="btn btn-small"
              data-testid="web-inbox-origin-remove"
              type="button"
              aria-label={t('web.removeOrigin', { origin: o })}
              disabled={busy}
              onClick={() => void update({ allowedOrigins: withoutOrigin(inbox.allowedOrigins, o) })}
            >
              {t('web.remove')}
            </button>
          </li>
        ))}
      </ul>
      <form class="channel-add-row" onSubmit={addOrigin}>
        <input
          class="input"
          data-testid="web-inbox-origin-input"
          aria-label={t('web.originInput')}
          placeholder="https://shop.example"
          maxLength={300}
          value={origin}
          onInput={(e) => setOrigin((e.target as HTMLInputElement).value)}
        />
        <button class="btn" data-testid="web-inbox-origin-add" type="submit" disabled={busy || !origin.trim()}>
          {t('add')}
        </button>
      </form>
      {error && (
        <div class="inline-error" data-testid="web-inbox-error" role="alert">
          {error}
        </div>
      )}
      <button class="btn" data-testid="web-inbox-settings-toggle" type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('web.settings')}
      </button>
      {open && (
        <>
          <Chunk load={() => import('./web-inbox-settings-view.js').then((m) => m.WebInboxSettings)} inbox={inbox} onSaved={onSaved} />
          <Chunk load={() => import('./web-identity-view.js').then((m) => m.WebIdentity)} inbox={inbox} onSaved={onSaved} />
        </>
      )}
    </li>
  );
}

type SettingsProps = { inbox: WebInboxView; onSaved: (w: WebInboxView) => void };

/**
 * A settings chunk, fetched when first shown. Not ui/lazy.tsx: a lazily loaded chunk importing a
 * page module would split the page's shared chunk (agent-console/README.md).
 */
function Chunk({ load, ...props }: SettingsProps & { load: () => Promise<ComponentType<SettingsProps>> }) {
  const [View, setView] = useState<ComponentType<SettingsProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    load().then(
      (v) => setView(() => v),
      () => setFailed(true),
    );
  }, []);
  if (View) return <View {...props} />;
  return <p class={failed ? 'inline-error' : 'muted'}>{failed ? t('web.chunkFailed') : t('loading')}</p>;
}

function AddWebInbox({ api, onAdded }: { api: WebInboxApi; onAdded: (w: WebInboxView) => void }) {
  return (
    <AddByName
      title={t('web.addTitle')}
      placeholder={t('web.addPlaceholder')}
      maxLength={120}
      action={t('web.add')}
      ids={{ name: 'web-inbox-new-name', submit: 'web-inbox-create', error: 'web-inbox-create-error' }}
      add={async (name) => onAdded(await api.create({ name }))}
    />
  );
}
