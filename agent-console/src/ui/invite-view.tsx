import { useSignal } from '@preact/signals';
import { inviteToken, route, useStore } from './context.js';
import { Logo } from './icons.js';

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
    if (password.value.length < 10) return void (error.value = 'Choose a password of at least 10 characters.');
    if (password.value !== repeat.value) return void (error.value = 'The two passwords are not the same.');
    busy.value = true;
    error.value = null;
    try {
      const res = await fetch('/api/v1/auth/invitations/accept', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ token: decodeURIComponent(inviteToken(route.value) ?? ''), password: password.value }),
      });
      const body = (await res.json().catch(() => null)) as { agent?: { email: string }; error?: { message: string } } | null;
      if (!res.ok || !body?.agent) throw new Error(body?.error?.message ?? 'Switchboard had a problem handling that. Please try again.');
      // Leave the invitation's address, then sign in the way the login screen does: the store keeps the session.
      history.replaceState(null, '', location.pathname + location.search);
      route.value = '';
      await store.login(body.agent.email, password.value);
    } catch (err) {
      error.value = err instanceof TypeError ? 'Cannot reach Switchboard. Check your connection.' : (err as Error).message;
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
        <h1 id="invite-title">Welcome to the team</h1>
        <p class="login-sub">Choose a password to finish setting up your account.</p>
        {error.value && (
          <div class="login-error" role="alert" data-testid="invite-error">
            {error.value}
          </div>
        )}
        <label class="field">
          <span>New password (at least 10 characters)</span>
          <input type="password" autocomplete="new-password" required minLength={10} autofocus value={password.value} onInput={(e) => (password.value = e.currentTarget.value)} data-testid="invite-password" />
        </label>
        <label class="field">
          <span>Repeat the password</span>
          <input type="password" autocomplete="new-password" required value={repeat.value} onInput={(e) => (repeat.value = e.currentTarget.value)} data-testid="invite-repeat" />
        </label>
        <button class="btn btn-primary btn-block" type="submit" disabled={busy.value} data-testid="invite-submit">
          {busy.value ? 'Setting up…' : 'Set password and sign in'}
        </button>
        <a class="link-btn" href="#" onClick={() => (route.value = '')}>
          I already have a password — sign in
        </a>
      </form>
    </main>
  );
}
