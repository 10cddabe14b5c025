import { useEffect, useState } from 'preact/hooks';
import { agentNames, auditPage, auditTarget, auditWho, type AuditEntry } from '../../admin/audit.js';
import { intlLocale } from '../../i18n/index.js';
import { t } from '../../i18n/manage.js';
import { useApi } from '../context.js';
import '../icons.js';

/**
 * The audit log (#/admin/audit; a chunk of its own that imports none of the other tabs' shared
 * chunks): sign-ins and the changes admins made — agents, webhooks, channel accounts, API keys,
 * rules… — newest first, 50 at a time (GET /api/v1/audit). Agents are named; the rest as the
 * entry recorded it.
 */
export default function AuditLog() {
  const http = useApi();
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  // undefined: the first page is not here yet; null: there is nothing older.
  const [next, setNext] = useState<string | null | undefined>(undefined);
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = async (cursor: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const p = await auditPage(http, cursor);
      setItems((list) => [...(cursor ? (list ?? []) : []), ...p.items]);
      setNext(p.nextCursor);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void load(null);
    // Names are a nicety: without them an entry still shows the id or email.
    agentNames(http).then(setNames, () => {});
  }, []);

  return (
    <>
      {items?.length === 0 && <p class="muted">{t('audit.none')}</p>}
      {!!items?.length && (
        <table class="admin-sla" data-testid="audit-log">
          <thead>
            <tr>
              <th>{t('audit.when')}</th>
              <th>{t('audit.who')}</th>
              <th>{t('audit.what')}</th>
              <th>{t('audit.target')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id} data-testid="audit-entry" data-type={e.type}>
                <td>
                  <time dateTime={e.at}>{new Date(e.at).toLocaleString(intlLocale.value)}</time>
                </td>
                <td>{auditWho(e, names)}</td>
                <td>
                  <code>{e.type}</code>
                </td>
                <td style={{ whiteSpace: 'normal', wordBreak: 'break-word' }}>{auditTarget(e, names)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error && (
        <p class="inline-error" role="alert" data-testid="admin-error">
          {error}
        </p>
      )}
      {(next || (error && items === null)) && (
        <button class="btn btn-small" disabled={busy} onClick={() => void load(items === null ? null : next!)} data-testid="audit-more">
          {items === null ? t('audit.retry') : t('audit.more')}
        </button>
      )}
    </>
  );
}
