import { useState } from 'preact/hooks';
import type { CrmKind, TicketSettings } from '../../admin/admin-api.js';
import { CRM_NAMES, crmBody, crmText, type CrmForm } from '../../admin/integrations.js';
import { IconUser } from '../icons.js';
import { Done, Problem, useAction, useAdminApi, useLoad } from './parts.js';

/**
 * CRM: which contact system tickets link to. Credentials are write-only — the server never sends
 * them back, so they are typed again to change them; it checks them before saving.
 */
export function CrmTab() {
  const api = useAdminApi();
  const settings = useLoad(() => api.settings());
  if (settings.error) return <Problem text={settings.error} />;
  if (!settings.data) return <p class="muted">Loading…</p>;
  return <CrmEditor settings={settings.data} onSaved={settings.setData} />;
}

function CrmEditor({ settings, onSaved }: { settings: TicketSettings; onSaved: (s: TicketSettings) => void }) {
  const api = useAdminApi();
  const current = (settings.crm?.kind ?? 'none') as CrmKind | 'none';
  const [f, setF] = useState<CrmForm>({ kind: current in CRM_NAMES ? current : 'none', token: '', baseUrl: settings.crm?.baseUrl ?? '' });
  const [done, setDone] = useState<string | null>(null);
  const act = useAction();
  const needsToken = f.kind === 'hubspot' || f.kind === 'kommo';

  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(null);
    const r = crmBody(f);
    if (!r.ok) return act.setError(r.error);
    if (await act.run(async () => onSaved(await api.updateSettings({ crm: r.crm })))) {
      setF({ ...f, token: '' });
      setDone(`Saved: ${CRM_NAMES[f.kind]}.`);
    }
  };

  return (
    <form class="admin-form" onSubmit={submit} aria-label="CRM" data-testid="crm-form">
      <h2>
        <IconUser size={16} /> CRM
      </h2>
      <p data-testid="crm-current">Now: {crmText(settings.crm)}</p>
      <label class="admin-field">
        <span>Provider</span>
        <select class="select" value={f.kind} onChange={(e) => setF({ ...f, kind: e.currentTarget.value as CrmKind | 'none' })} data-testid="crm-kind">
          {(Object.keys(CRM_NAMES) as (CrmKind | 'none')[]).map((k) => (
            <option key={k} value={k}>
              {CRM_NAMES[k]}
            </option>
          ))}
        </select>
      </label>
      {needsToken && (
        <>
          <label class="admin-field">
            <span>{f.kind === 'hubspot' ? 'Private app access token' : 'Long-lived access token'}</span>
            <input class="input" type="password" autocomplete="off" value={f.token} onInput={(e) => setF({ ...f, token: e.currentTarget.value })} data-testid="crm-token" />
          </label>
          <label class="admin-field">
            <span>{f.kind === 'kommo' ? 'Account address' : 'API address (optional)'}</span>
            <input
              class="input"
              type="url"
              value={f.baseUrl}
              placeholder={f.kind === 'kommo' ? 'https://yourteam.kommo.com' : 'https://api.hubapi.com'}
              onInput={(e) => setF({ ...f, baseUrl: e.currentTarget.value })}
            />
          </label>
          <p class="muted">Saved credentials are never shown again; enter them anew to change them.</p>
        </>
      )}
      <Problem text={act.error} testid="crm-error" />
      <Done text={done} />
      <button class="btn btn-primary admin-start" type="submit" disabled={act.busy}>
        {act.busy ? 'Checking…' : 'Save'}
      </button>
    </form>
  );
}
