import { render } from 'preact';
import { effect, signal } from '@preact/signals';
import type { ConversationView, MentionView, MessageView } from '@switchboard/contracts';
import type { ExtraApi } from '../api.js';
import type { ConsoleStore } from '../console-store.js';
import { Notifier, type NotificationText } from '../notify.js';
import { StoreContext, useStore } from './context.js';
import { IconChat } from './icons.js';
import { t } from '../i18n/notify.js';

/**
 * Desktop notifications and a short beep when a customer writes in one of the agent's
 * conversations while the agent looks elsewhere (notify.ts decides). A chunk main.tsx loads once
 * the agent is signed in; it also shows the "Enable notifications" offer, because browsers ask
 * for the permission only from a click.
 */

const supported = typeof Notification !== 'undefined';
const permission = signal<NotificationPermission>(supported ? Notification.permission : 'denied');
const dismissed = signal(false);
let started = false;
let audio: AudioContext | null = null;

/**
 * Subscribe to the store's server events and show the offer; later calls do nothing. With `api`,
 * @mentions are marked read when their conversation is opened (or arrive while it is looked at).
 */
export function startNotify(store: ConsoleStore, api?: Pick<ExtraApi, 'call'>): void {
  if (started) return;
  started = true;
  const mentionsRead = (conversationId: string) =>
    void api?.call('POST', '/api/v1/mentions/read', { conversationId }).catch(() => {
      // Not marked now: the next opening of the conversation marks them.
    });
  const notifier = new Notifier({
    moment: () => ({ meId: store.agent.value?.id ?? null, openId: store.selectedId.value, hidden: document.visibilityState === 'hidden' }),
    show,
    beep,
    now: () => Date.now(),
    mentionSeen: mentionsRead,
  });
  // The socket hands every event to these listeners too (realtime.ts's onAny), the store's own included.
  store.onServerEvent('message:new', (m) => notifier.messageNew(m as MessageView));
  store.onServerEvent('conversation:updated', (c) => notifier.conversationUpdated(c as ConversationView));
  store.onServerEvent('mention', (m) => notifier.mention(m as MentionView));
  effect(() => {
    const id = store.selectedId.value;
    if (id && store.session.value) mentionsRead(id);
  });
  // The permission may change in the browser's site settings meanwhile.
  document.addEventListener('visibilitychange', () => supported && (permission.value = Notification.permission));
  const host = document.createElement('div');
  document.body.append(host);
  render(
    <StoreContext.Provider value={store}>
      <Offer />
    </StoreContext.Provider>,
    host,
  );
}

function show(n: NotificationText): void {
  if (!supported || Notification.permission !== 'granted') return;
  const note = new Notification(n.title, { body: n.body, tag: n.tag });
  note.onclick = () => {
    window.focus();
    location.hash = `#/c/${encodeURIComponent(n.tag)}`;
    note.close();
  };
}

/** A short two-tone chime made on the spot (no audio file); browsers allow sound only after the agent has used the page. */
function beep(): void {
  if (typeof AudioContext === 'undefined' || !navigator.userActivation?.hasBeenActive) return;
  audio ??= new AudioContext();
  if (audio.state === 'suspended') void audio.resume();
  const t = audio.currentTime;
  const gain = audio.createGain();
  gain.connect(audio.destination);
  gain.gain.setValueAtTime(0.0001, t);
  gain.gain.exponentialRampToValueAtTime(0.15, t + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
  const tone = audio.createOscillator();
  tone.type = 'sine';
  tone.frequency.setValueAtTime(880, t);
  tone.frequency.setValueAtTime(1320, t + 0.1);
  tone.connect(gain);
  tone.start(t);
  tone.stop(t + 0.32);
}

async function enable(): Promise<void> {
  permission.value = await Notification.requestPermission();
}

/** Shown while the browser has not been asked yet (permission 'default'), until enabled, refused or put off. */
function Offer() {
  const store = useStore();
  if (!store.session.value || permission.value !== 'default' || dismissed.value) return null;
  return (
    <div class="notify-offer" role="region" aria-label={t('offerLabel')} data-testid="notify-offer">
      <IconChat size={18} class="notify-offer-icon" />
      <p>{t('offer')}</p>
      <div class="notify-offer-actions">
        <button class="btn btn-primary btn-small" data-testid="notify-enable" onClick={() => void enable()}>
          {t('enable')}
        </button>
        <button class="btn btn-ghost btn-small" data-testid="notify-later" onClick={() => (dismissed.value = true)}>
          {t('later')}
        </button>
      </div>
    </div>
  );
}
