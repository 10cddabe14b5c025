import { useState } from 'preact/hooks';
import type { Webhook } from '../../admin/admin-api.js';
import type { webhookBody } from '../../admin/integrations.js';
import { hookCalls, hookChange, hookForm, hookTestText, replaceHook, toggleEvent, type HookTest } from '../../admin/webhook-edit.js';
import { t } from '../../i18n/manage.js';
import { useApi } from '../context.js';
import '../icons.js';

export interface WebhookToolsProps {
  h: Webhook;
  set: (change: (list: Webhook[] | null) => Webhook[] | null) => void;
  /** What the Webhooks tab offers and checks a subscription with (integrations.ts), handed over so this chunk imports none of the tab's. */
  events: readonly string[];
  check: typeof webhookBody;
}

/**
 * One webhook's tools beyond the list (a chunk of its own, fetched by the Webhooks tab): edit its
 * address, events, description and on/off in place, send it a signed test event and show what the
 * receiver answered, and replace its signing secret (shown once).
 */
export function WebhookTools({ h, set, events, check }: WebhookToolsProps) {
  const calls = hookCalls(useApi(), h.id);
  const [f, setF] = useState(() => hookForm(h));
  const [enabled, setEnabled] = useState(h.enabled);
  const [editing, setEditing] = useState(false);
  const [asking, setAsking] = useState(false);
  const [result, setResult] = useState<HookTest | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const open = () => {
    setF(hookForm(h));
    setEnabled(h.enabled);
    setEditing(true);
  };
  const save = (e: Event) => {
    e.preventDefault();
    const r = hookChange(h, f, enabled, check);
    if (!r.ok) return setError(r.error);
    void run(async () => {
      set(replaceHook(await calls.update(r.change)));
      setEditing(false);
    });
  };
  const test = () => run(async () => (setResult(null), setResult(await calls.test())));
  const rotate = () => run(async () => (setAsking(false), setSecret((await calls.rotate()).secret)));

  return (
    <>
      {editing && (
        <form class="admin-form" onSubmit={save} data-testid="webhook-edit" noValidate>
          <label class="admin-field">
            <span>{t('hook.url')}</span>
            <input class="input" type="url" value={f.url} onInput={(e) => setF({ ...f, url: e.currentTarget.value })} data-testid="webhook-edit-url" />
          </label>
          <label class="admin-field">
            <span>{t('hook.description')}</span>
            <input class="input" value={f.description} onInput={(e) => setF({ ...f, description: e.currentTarget.value })} />
          </label>
          <fieldset class="admin-checks">
            <legend>{t('hook.events')}</legend>
            <label>
              <input type="checkbox" checked={f.all} onChange={(e) => setF({ ...f, all: e.currentTarget.checked })} data-testid="webhook-edit-all" /> {t('hook.all')}
            </label>
            {!f.all &&
              events.map((ev) => (
                <label key={ev}>
                  <input type="checkbox" checked={f.events.includes(ev)} onChange={(e) => setF({ ...f, events: toggleEvent(f.events, ev, e.currentTarget.checked) })} /> {ev}
                </label>
              ))}
          </fieldset>
          <label>
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} data-testid="webhook-edit-enabled" /> {t('hook.enabled')}
          </label>
          <div class="admin-row">
            <button class="btn btn-small btn-primary" type="submit" disabled={busy} data-testid="webhook-edit-save">
              {t('hook.save')}
            </button>
            <button class="btn btn-small" type="button" onClick={() => setEditing(false)}>
              {t('hook.cancel')}
            </button>
          </div>
        </form>
      )}
      {secret && (
        <div class="admin-once" role="status">
          <p>
            {t('hook.secret')} {t('hook.once')}
          </p>
          <code data-testid="webhook-new-secret">{secret}</code>
        </div>
      )}
      {result && (
        <p class={result.ok ? 'admin-done' : 'inline-error'} role={result.ok ? 'status' : 'alert'} data-testid="webhook-test-result" data-ok={String(result.ok)}>
          {hookTestText(result)}
        </p>
      )}
      {error && (
        <p class="inline-error" role="alert" data-testid="admin-error">
          {error}
        </p>
      )}
      <div class="admin-row">
        {!editing && (
          <button class="btn btn-small" onClick={open} data-testid="webhook-edit-open">
            {t('hook.edit')}
          </button>
        )}
        <button class="btn btn-small" disabled={busy} onClick={() => void test()} data-testid="webhook-test">
          {busy ? t('hook.testing') : t('hook.test')}
        </button>
        {asking ? (
          <span class="admin-row" role="group" aria-label={t('hook.rotateQ')}>
            <span>{t('hook.rotateQ')}</span>
            <button class="btn btn-small btn-danger" disabled={busy} onClick={() => void rotate()} data-testid="webhook-rotate-confirm">
              {t('hook.rotate')}
            </button>
            <button class="btn btn-small" onClick={() => setAsking(false)}>
              {t('hook.cancel')}
            </button>
          </span>
        ) : (
          <button class="btn btn-small" onClick={() => (setSecret(null), setAsking(true))} data-testid="webhook-rotate">
            {t('hook.rotate')}
          </button>
        )}
      </div>
    </>
  );
}
