import { useSignal } from '@preact/signals';
import { inviteToken, route, useStore } from './context.js';
import { Logo } from './icons.js';
import { t } from '../i18n/invite.js';

/**
 * Accepting an invitation (#/invite/<token>, the link of the invitation email), before signing in:
 * the invitee chooses a password, the server sets it and the console signs in with it. A chunk
 * of its own: only invitees ever see it.
 */
export function InviteView() {
  const store = useStore();
  const password = useSignal('');
  const repeat = useSignal('');
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (password.value.length < 10) return void (error.value = t('short'));
    if (password.value !== repeat.value) return void (error.value = t('mismatch'));
    busy.value = true;
    error.value = null;
    try {
      const res = await fetch('/api/v1/auth/invitations/accept', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ token: decodeURIComponent(inviteToken(route.value) ?? ''), password: password.value }),
      });
      const body = (await res.json().catch(() => null)) as { agent?: { email: string }; error?: { message: string } } | null;
      if (!res.ok || !body?.agent) throw new Error(body?.error?.message ?? t('problem'));
      // Leave the invitation's address, then sign in the way the login screen does: the store keeps the session.
      history.replaceState(null, '', location.pathname + location.search);
      route.value = '';
      await store.login(body.agent.email, password.value);
    } catch (err) {
      error.value = err instanceof TypeError ? t('unreachable') : (err as Error).message;
    } finally {
      busy.value = false;
    }
  };

  return (
    <main class="login">
      <form class="login-card" onSubmit={submit} aria-labelledby="invite-title" data-testid="invite-accept">
        <div class="login-brand">
          <Logo size={36} />
          <span>Switchboard</span>
        </div>
        <h1 id="invite-title">{t('title')}</h1>
        <p class="login-sub">{t('sub')}</p>
        {error.value && (
          <div class="login-error" role="alert" data-testid="invite-error">
            {error.value}
          </div>
        )}
        <label class="field">
          <span>{t('password')}</span>
          <input type="password" autocomplete="new-password" required minLength={10} autofocus value={password.value} onInput={(e) => (password.value = e.currentTarget.value)} data-testid="invite-password" />
        </label>
        <label class="field">
          <span>{t('repeat')}</span>
          <input type="password" autocomplete="new-password" required value={repeat.value} onInput={(e) => (repeat.value = e.currentTarget.value)} data-testid="invite-repeat" />
        </label>
        <button class="btn btn-primary btn-block" type="submit" disabled={busy.value} data-testid="invite-submit">
          {busy.value ? t('settingUp') : t('submit')}
        </button>
        <a class="link-btn" href="#" onClick={() => (route.value = '')}>
          {t('signIn')}
        </a>
      </form>
    </main>
  );
}
