import { useState } from 'preact/hooks';
import type { WidgetInboxSettings, WidgetVisitor } from '@switchboard/contracts';
import type { Chat } from './chat.js';
import { EMAIL } from './fields.js';
import { formStyles } from './form-styles.js';
import { ft } from './form-texts.js';
import { currentLocale } from './i18n.js';

interface OfflineProps {
  chat: Chat;
  inbox: WidgetInboxSettings;
  visitor: WidgetVisitor | null;
}

/** "Back Monday at 09:00." — when the team is next in, in the visitor's time zone and language. */
export function backAt(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const day = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const ahead = Math.round((day(at) - day(now)) / 864e5);
  const locale = currentLocale();
  return ft('back', {
    when: ahead < 2 ? new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(ahead, 'day') : at.toLocaleDateString(locale, { weekday: 'long' }),
    time: at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' }),
  });
}

/**
 * Outside business hours: when the team is back, and an email address to answer to. Sending still
 * works. A chunk the chat loads only while the inbox is offline.
 */
export function Offline({ chat, inbox, visitor }: OfflineProps) {
  const [error, setError] = useState('');
  return (
    <div class="banner off" data-sb="offline">
      <style>{formStyles}</style>
      <p role="status">
        {inbox.offlineMessage || ft('away')} {inbox.nextOpenAt && backAt(inbox.nextOpenAt)}
      </p>
      {visitor?.email ? (
        <p>{ft('byEmail', { email: visitor.email })}</p>
      ) : (
        <form
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            const email = (e.currentTarget.elements[0] as HTMLInputElement).value.trim();
            const res = EMAIL.test(email) ? await chat.update({ email }) : { ok: false as const, message: ft('badEmail') };
            setError(res.ok ? '' : res.message);
          }}
        >
          <label>
            {ft('leave')} <input type="email" autocomplete="email" required aria-invalid={!!error} />
          </label>
          <button class="btn">{ft('save')}</button>
          {error && (
            <p class="err" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
