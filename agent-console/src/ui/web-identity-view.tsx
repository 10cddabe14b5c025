import { useMemo, useState } from 'preact/hooks';
import type { WebInboxView } from '@switchboard/contracts';
import { webInboxApi } from '../web-inbox-api.js';
import { HASH_EXAMPLE, masked, rotateSecretQuestion } from '../web-identity.js';
import { useApi } from './context.js';
import { IconCheck } from './icons.js';
import { t } from '../i18n/identity.js';

export interface WebIdentityProps {
  inbox: WebInboxView;
  onSaved: (w: WebInboxView) => void;
}

/**
 * A website inbox's identity verification (admins, beside its chat settings): the switch (saved at
 * once), how a site signs its user ids, and the secret, masked until revealed, with Copy and a new
 * one after a confirm(). A chunk of its own, loaded by web-inboxes-view.tsx.
 */
export function WebIdentity({ inbox, onSaved }: WebIdentityProps) {
  const http = useApi();
  const api = useMemo(() => webInboxApi(http), [http]);
  const [shown, setShown] = useState(false);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The switch's position while its change is on the way; null: as stored. */
  const [switching, setSwitching] = useState<boolean | null>(null);

  const run = async (call: () => Promise<WebInboxView>) => {
    setBusy(true);
    setError(null);
    try {
      onSaved(await call());
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
      setSwitching(null);
    }
  };
  const toggle = (on: boolean) => {
    setSwitching(on);
    void run(() => api.update(inbox.id, { identityVerification: on }));
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(inbox.identitySecret);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setShown(true);
      setError(t('id.copyFailed'));
    }
  };
  const rotate = () => {
    if (!busy && confirm(rotateSecretQuestion(inbox.name))) void run(() => api.rotateSecret(inbox.id));
  };

  return (
    <fieldset class="web-settings" data-testid="web-identity">
      <legend>{t('id.title')}</legend>
      <label>
        <input
          type="checkbox"
          role="switch"
          data-testid="web-identity-switch"
          checked={switching ?? inbox.identityVerification}
          disabled={busy}
          onChange={(e) => toggle((e.target as HTMLInputElement).checked)}
        />{' '}
        {t('id.switch')}
      </label>
      <p class="muted">
        {t('id.how', { call: '\u0000', hash: '\u0001' })
          .split(/([\u0000\u0001])/)
          .map((part) => (part === '\u0000' ? <code>Switchboard.identify({'{'} id, hash {'}'})</code> : part === '\u0001' ? <code>hash</code> : part))}
      </p>
      <pre class="web-snippet">{HASH_EXAMPLE}</pre>
      <div class="channel-add-row">
        <code class="web-secret" data-testid="web-identity-secret" data-shown={shown}>
          {shown ? inbox.identitySecret : masked(inbox.identitySecret)}
        </code>
        <button class="btn btn-small" type="button" data-testid="web-identity-reveal" aria-pressed={shown} onClick={() => setShown(!shown)}>
          {shown ? t('id.hide') : t('id.reveal')}
        </button>
        <button class="btn btn-small" type="button" data-testid="web-identity-copy" onClick={copy}>
          {copied && <IconCheck size={14} />}
          {copied ? t('id.copied') : t('id.copy')}
        </button>
        <button class="btn btn-small" type="button" data-testid="web-identity-rotate" disabled={busy} onClick={rotate}>
          {t('id.rotate')}
        </button>
      </div>
      {error && (
        <div class="inline-error" data-testid="web-identity-error" role="alert">
          {error}
        </div>
      )}
    </fieldset>
  );
}
