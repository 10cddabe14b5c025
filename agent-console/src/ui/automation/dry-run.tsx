import type { AutomationDryRun, AutomationRuleView, ConversationView } from '@switchboard/contracts';
import { useState } from 'preact/hooks';
import type { AutomationApi } from '../../automation/automation-api.js';
import { contactLabel, conversationMatches } from '../../automation/dry-run-pick.js';
import { actionText, conditionText, dryRunVerdict, type Names } from '../../automation/summaries.js';
import { t } from '../../i18n/automation.js';
import { useApi } from '../context.js';
import { Problem, useAction } from '../admin/parts.js';

interface Outcome {
  rule: AutomationRuleView;
  r: AutomationDryRun;
}

/**
 * A dry run: pick a past conversation (by the contact's name, or paste its id) and see, rule by
 * rule in their order, whether each would fire, every condition with why it holds or not, and the
 * actions it would take. The server changes nothing.
 */
export function DryRun({ rules, api, names }: { rules: AutomationRuleView[]; api: AutomationApi; names: Names }) {
  const http = useApi();
  const [query, setQuery] = useState('');
  const [recent, setRecent] = useState<ConversationView[] | null>(null);
  const [result, setResult] = useState<{ conv: string; outcomes: Outcome[] } | null>(null);
  const act = useAction();

  const load = () => {
    if (!recent) void act.run(async () => setRecent((await http.call<{ items: ConversationView[] }>('GET', '/api/v1/conversations?status=all&limit=100')).items));
  };
  const run = (conversationId: string, label: string) =>
    void act.run(async () => {
      const outcomes: Outcome[] = [];
      for (const rule of rules) outcomes.push({ rule, r: await api.dryRun(rule.id, conversationId) });
      setResult({ conv: label, outcomes });
    });
  const shown = conversationMatches(recent ?? [], query).slice(0, 8);
  const typed = query.trim();

  return (
    <section class="channel-add admin-form" aria-labelledby="dry-run-title" data-testid="dry-run">
      <h2 id="dry-run-title">{t('dryRun')}</h2>
      <p class="muted">{t('dryIntro')}</p>
      <form
        class="admin-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed) run(shown[0]?.id ?? typed, shown[0] ? contactLabel(shown[0]) : typed);
        }}
      >
        <input
          class="input"
          aria-label={t('dryQuery')}
          placeholder={t('dryQuery')}
          value={query}
          data-testid="dry-run-query"
          onFocus={load}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
        <button class="btn btn-small" type="submit" disabled={act.busy || !typed || rules.length === 0} data-testid="dry-run-submit">
          {t('dryRun')}
        </button>
      </form>
      {shown.length > 0 && (
        <ul class="auto-rows" aria-label={t('dryMatching')}>
          {shown.map((c) => (
            <li key={c.id}>
              <button type="button" class="btn btn-small" data-testid="dry-run-pick" data-id={c.id} disabled={act.busy} onClick={() => run(c.id, contactLabel(c))}>
                {contactLabel(c)}
                {c.lastMessage?.text ? ` — ${c.lastMessage.text.slice(0, 40)}` : ''}
              </button>
            </li>
          ))}
        </ul>
      )}
      <Problem text={act.error} />
      {result && (
        <div role="status" aria-label={t('dryOn', { conv: result.conv })}>
          <p>
            <strong>{result.conv}</strong>
          </p>
          {result.outcomes.map((o) => (
            <RuleOutcome key={o.rule.id} {...o} names={names} />
          ))}
        </div>
      )}
    </section>
  );
}

function RuleOutcome({ rule, r, names }: Outcome & { names: Names }) {
  return (
    <div class="auto-set" data-testid="dry-run-result" data-id={rule.id} data-matched={String(r.triggered && r.matched)}>
      <p>
        <strong>{rule.name}:</strong> {dryRunVerdict(r, rule.enabled)}
      </p>
      {r.conditions.length > 0 && (
        <ul class="auto-result" aria-label={t('conditionsOf', { name: rule.name })}>
          {r.conditions.map((c) => {
            const cond = rule.conditions[c.index];
            return (
              <li key={c.index} class={c.passed ? 'auto-pass' : 'auto-fail'}>
                {c.passed ? '✓' : '✗'} {cond ? conditionText(cond, names) : c.kind}: {c.passed ? t('yes') : t('no')} ({c.detail})
              </li>
            );
          })}
        </ul>
      )}
      <p class="muted">{r.triggered && r.matched ? t('itWould') : t('ifMatched')}</p>
      <ol class="auto-result" aria-label={t('plannedOf', { name: rule.name })}>
        {r.actions.map((a) => {
          const action = rule.actions[a.index];
          // The server's words carry a reply or note with its placeholders filled in; ours carry names.
          const text = a.type === 'auto_reply' || a.type === 'add_note' || !action ? a.description : actionText(action, names);
          return (
            <li key={a.index} class={a.skipped ? 'muted' : undefined}>
              {text}
              {a.skipped ? t('skipped', { why: a.skipped }) : ''}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
