import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ChannelAccount, WhatsappSession } from '../api.js';
import { addAccount, applySession, asSession, channelName, SESSION_EVENT, sessionStateText, WHATSAPP_WEB } from '../channels.js';
import { useApi, useStore } from './context.js';
import { IconBack } from './icons.js';
import { AddByName } from './add-by-name.js';
import { t } from '../i18n/channels.js';
import { WebInboxesSection } from './web-inboxes-view.js';

/**
 * Channel settings, for admins (#/channels): the team's channel accounts, adding a WhatsApp Web
 * account, and each WhatsApp Web session (state, QR code to scan, health) kept live by the
 * 'channel:session' socket event; the website inboxes (web-inboxes-view.tsx). A lazily loaded chunk.
 */
export function ChannelsView() {
  const api = useApi();
  const store = useStore();
  const [accounts, setAccounts] = useState<ChannelAccount[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sessions, setSessions] = useState<Record<string, WhatsappSession>>({});
  const live = store.connection.value === 'live';
  // Connecting other channels and each account's actions: a chunk of its own (channel-connect-view.tsx).
  const [connect, setConnect] = useState<typeof import('./channel-connect-view.js') | null>(null);
  useEffect(() => void import('./channel-connect-view.js').then(setConnect, (err: Error) => setError(err.message)), []);

  // Live session changes; subscribed before the fetches so nothing falls between them.
  useEffect(
    () =>
      store.onServerEvent(SESSION_EVENT, (payload) => {
        const s = asSession(payload);
        if (s) setSessions((all) => applySession(all, s));
      }),
    [store],
  );

  const loadSession = (accountId: string) =>
    api.whatsappSession(accountId).then(
      (s) => setSessions((all) => applySession(all, s, true)),
      () => {}, // not started yet (404) or offline: the socket event brings it
    );

  // (Re)load on open and after every reconnect, when socket events may have been missed.
  useEffect(() => {
    let current = true;
    api.listChannels().then(
      ({ items }) => {
        if (!current) return;
        setAccounts(items);
        setError(null);
        for (const a of items) if (a.channel === WHATSAPP_WEB) void loadSession(a.accountId);
      },
      (err: Error) => current && setError(err.message),
    );
    return () => {
      current = false;
    };
  }, [api, live]);

  const added = (a: ChannelAccount) => {
    setAccounts((list) => addAccount(list ?? [], a));
    void loadSession(a.accountId);
  };

  return (
    <section class="channels" aria-label={t('title')}>
      <header class="thread-head channels-head">
        <a class="icon-btn back" href="#" aria-label={t('back')}>
          <IconBack size={20} />
        </a>
        <h1>{t('title')}</h1>
      </header>
      <div class="channels-body">
        {error && (
          <div class="inline-error" role="alert">
            {t('loadFailed', { reason: error })}
          </div>
        )}
        {accounts === null && !error && <p class="muted">{t('loading')}</p>}
        {accounts?.length === 0 && <p class="muted">{t('none')}</p>}
        <ul class="channel-list">
          {accounts?.map((a) => (
            <ChannelItem key={a.accountId} a={a} session={sessions[a.accountId]}>
              {connect && <connect.AccountActions a={a} set={setAccounts} />}
            </ChannelItem>
          ))}
        </ul>
        {connect && <connect.ConnectChannel set={setAccounts} />}
        <AddWhatsappWeb onAdded={added} />
        <WebInboxesSection live={live} />
      </div>
    </section>
  );
}

function ChannelItem({ a, session, children }: { a: ChannelAccount; session: WhatsappSession | undefined; children: ComponentChildren }) {
  return (
    <li class="channel-item" data-testid="channel-item" data-id={a.accountId} data-channel={a.channel}>
      <div class="channel-row">
        <span class="channel-name">{a.name}</span>
        <span class="channel-kind">{channelName(a.channel)}</span>
        <span class={`channel-status channel-status-${a.status}`}>{a.status}</span>
      </div>
      {a.lastError && <div class="channel-error">{a.lastError}</div>}
      {a.channel === WHATSAPP_WEB && <WhatsappSessionView session={session} />}
      {children}
    </li>
  );
}

function WhatsappSessionView({ session }: { session: WhatsappSession | undefined }) {
  if (!session) return <div class="wa-session muted">{t('waitingSession')}</div>;
  return (
    <div class={`wa-session wa-health-${session.health.status}`}>
      <div>
        <span class="wa-state" data-testid="whatsapp-state" data-state={session.state}>
          {sessionStateText(session.state)}
        </span>
        <span class="wa-health"> · {session.health.status}</span>
      </div>
      <p class="wa-reason">{session.health.reason}</p>
      {session.qr && (
        <figure class="wa-qr">
          <img data-testid="whatsapp-qr" src={session.qr} alt={t('qrAlt')} width={264} height={264} />
          <figcaption>{t('qrHow')}</figcaption>
        </figure>
      )}
    </div>
  );
}

function AddWhatsappWeb({ onAdded }: { onAdded: (a: ChannelAccount) => void }) {
  const api = useApi();
  return (
    <AddByName
      title={t('addWhatsapp')}
      placeholder={t('addWhatsappPlaceholder')}
      maxLength={200}
      action={t('add')}
      ids={{ name: 'whatsapp-name', submit: 'whatsapp-add' }}
      add={async (name) => onAdded(await api.createWhatsappWeb(name))}
    />
  );
}
