import { useState } from 'preact/hooks';
import { t } from '../i18n/core.js';

/** A one-field form that adds something by its name, with its busy state and the refusal in words. */
export function AddByName(props: {
  title: string;
  placeholder: string;
  maxLength: number;
  action: string;
  ids: { name: string; submit: string; error?: string };
  add: (name: string) => Promise<void>;
}) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const n = name.trim();
    if (!n || busy) return;
    setBusy(true);
    setError(null);
    try {
      await props.add(n);
      setName('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="channel-add" onSubmit={submit}>
      <h2>{props.title}</h2>
      <div class="channel-add-row">
        <input
          class="input"
          data-testid={props.ids.name}
          placeholder={props.placeholder}
          maxLength={props.maxLength}
          value={name}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
        <button class="btn" data-testid={props.ids.submit} type="submit" disabled={busy || !name.trim()}>
          {busy ? t('note.adding') : props.action}
        </button>
      </div>
      {error && (
        <div class="inline-error" data-testid={props.ids.error} role="alert">
          {error}
        </div>
      )}
    </form>
  );
}
