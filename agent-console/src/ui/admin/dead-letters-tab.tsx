import { deadLetterApi } from '../../admin/dead-letters.js';
import { useApi } from '../context.js';
import { Card, Problem, useAction, useLoad } from './parts.js';
import { intlLocale } from '../../i18n/index.js';
import { t } from '../../i18n/admin.js';

/**
 * Dead letters (docs/bus.md): the team's messages that could not be handled even after retries,
 * newest first, with the reason and the body's start. Retry puts one back into its queue; Discard
 * marks it dealt with (it is kept, in the API and the audit log). Either takes it off this list.
 */
export default function DeadLettersTab() {
  const api = deadLetterApi(useApi());
  const letters = useLoad(api.waiting);
  const act = useAction();
  const settle = (id: string, action: 'retry' | 'discard') =>
    void act.run(async () => {
      await api.settle(id, action);
      letters.setData((list) => list && list.filter((l) => l.id !== id));
    });

  return (
    <>
      <Problem text={letters.error ?? act.error} />
      {letters.data?.length === 0 && <p class="muted">{t('dead.none')}</p>}
      <ul class="channel-list">
        {letters.data?.map((l) => (
          <Card key={l.id} testid="dead-letter" id={l.id}>
            <b>{l.reason}</b>
            <p class="muted">
              {l.source} · {new Date(l.deadAt).toLocaleString(intlLocale.value)}
            </p>
            <code class="admin-wrap">{l.preview}</code>
            <div class="admin-row">
              <button type="button" class="btn btn-small btn-primary" disabled={act.busy} onClick={() => settle(l.id, 'retry')}>
                {t('retry')}
              </button>
              <button type="button" class="btn btn-small" disabled={act.busy} onClick={() => settle(l.id, 'discard')}>
                {t('dead.discard')}
              </button>
            </div>
          </Card>
        ))}
      </ul>
    </>
  );
}
