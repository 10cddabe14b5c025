import { useSignal } from '@preact/signals';
import { Logo } from './icons.js';
import { t } from '../i18n/core.js';
import { useStore } from './context.js';

export function Login() {
  const store = useStore();
  const email = useSignal('');
  const password = useSignal('');
  const busy = store.loggingIn.value;
  const error = store.loginError.value;

  const submit = (e: Event) => {
    e.preventDefault();
    void store.login(email.value, password.value);
  };

  return (
    <main class="login">
      <form class="login-card" onSubmit={submit} aria-labelledby="login-title">
        <div class="login-brand">
          <Logo size={36} />
          <span>Switchboard</span>
        </div>
        <h1 id="login-title">{t('login.title')}</h1>
        <p class="login-sub">{t('login.sub')}</p>
        {error && (
          <div class="login-error" role="alert" data-testid="login-error">
            {error}
          </div>
        )}
        <label class="field">
          <span>{t('login.email')}</span>
          <input
            data-testid="login-email"
            type="email"
            name="email"
            autocomplete="username"
            required
            autofocus
            value={email.value}
            onInput={(e) => (email.value = e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>{t('login.password')}</span>
          <input
            data-testid="login-password"
            type="password"
            name="password"
            autocomplete="current-password"
            required
            value={password.value}
            onInput={(e) => (password.value = e.currentTarget.value)}
          />
        </label>
        <button data-testid="login-submit" class="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? t('login.signingIn') : t('login.signIn')}
        </button>
      </form>
    </main>
  );
}
