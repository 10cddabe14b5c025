import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { adminApi } from '../../admin/admin-api.js';
import { useApi } from '../context.js';
import { IconCheck } from '../icons.js';
import { t } from '../../i18n/admin.js';

/** Pieces every administration tab uses. */

/** The administration calls on the signed-in agent's API client. */
export function useAdminApi() {
  return adminApi(useApi());
}

/** "Saved." after a change went through; announced politely. */
export function Done({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p class="admin-done" role="status" data-testid="admin-done">
      <IconCheck size={14} /> {text}
    </p>
  );
}

/** Loads once (and again on `reload`); the error is the server's sentence. */
export function useLoad<T>(load: () => Promise<T>) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (d) => {
        if (!current) return;
        setData(d);
        setError(null);
      },
      (err: Error) => current && setError(err.message),
    );
    return () => {
      current = false;
    };
  }, [n]);
  return { data, setData, error, reload: () => setN((x) => x + 1) };
}

/** Runs a change: busy while it runs, the server's sentence when it is refused. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (err) {
      setError((err as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

export function Problem({ text, testid }: { text: string | null; testid?: string }) {
  if (!text) return null;
  return (
    <p class="inline-error" role="alert" data-testid={testid ?? 'admin-error'}>
      {text}
    </p>
  );
}

/** A secret the server shows this once (a webhook's signing secret, an API key), with Copy. */
export function ShownOnce({ label, value, testid, onDone }: { label: string; value: string; testid: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = () =>
    navigator.clipboard?.writeText(value).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <div class="admin-once" role="status">
      <p>{t('shownOnce', { label })}</p>
      <code data-testid={testid}>{value}</code>
      <div class="admin-row">
        <button type="button" class="btn btn-small btn-primary" onClick={copy}>
          {copied ? t('copied') : t('copy')}
        </button>
        <button type="button" class="btn btn-small" onClick={onDone}>
          {t('done')}
        </button>
      </div>
    </div>
  );
}

/** "Delete" that asks once more inline (no browser dialog). */
export function ConfirmButton({ label, question, onConfirm, disabled }: { label: string; question: string; onConfirm: () => void; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" class="btn btn-small" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <span class="admin-row" role="group" aria-label={question}>
      <span>{question}</span>
      <button type="button" class="btn btn-small btn-danger" onClick={() => (setAsking(false), onConfirm())}>
        {label}
      </button>
      <button type="button" class="btn btn-small" onClick={() => setAsking(false)}>
        {t('cancel')}
      </button>
    </span>
  );
}

export function Card({ children, testid, id }: { children: ComponentChildren; testid?: string; id?: string }) {
  return (
    <li class="channel-item admin-item" data-testid={testid} data-id={id}>
      {children}
    </li>
  );
}
