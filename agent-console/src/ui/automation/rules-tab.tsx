import type { AutomationRuleView } from '@switchboard/contracts';
import { useState } from 'preact/hooks';
import { automationApi } from '../../automation/automation-api.js';
import { move } from '../../automation/rule-form.js';
import { actionsText, conditionsText, statsText, triggerText } from '../../automation/summaries.js';
import { t } from '../../i18n/automation.js';
import { now, useApi } from '../context.js';
import { IconClock } from '../icons.js';
import { Card, ConfirmButton, Problem, useAction, useLoad } from '../admin/parts.js';
import { addAutomationStyles, useChoices, type Choices } from './action-editor.js';
import { DryRun } from './dry-run.js';
import { RuleEditor } from './rule-editor.js';

/**
 * Automation rules (docs/automation.md), in the order they run: switch each on or off, see when it
 * last ran, how often and its last error, move it up or down, change or delete it, make a new one,
 * and try them all on a past conversation (dry run).
 */
export default function RulesTab() {
  addAutomationStyles();
  const api = automationApi(useApi());
  const rules = useLoad(() => api.rules().then((r) => r.items));
  const choices = useChoices(true);
  const [adding, setAdding] = useState(false);
  const act = useAction();
  const list = rules.data ?? [];
  const replace = (r: AutomationRuleView) => rules.setData((xs) => (xs ?? []).map((x) => (x.id === r.id ? r : x)));

  const reorder = (i: number, delta: number) =>
    void act.run(async () => {
      const id = list[i]!.id;
      rules.setData((await api.reorder(move(list, i, delta).map((r) => r.id))).items);
      // The moved rule's button keeps the focus, so it can be moved again from the keyboard.
      requestAnimationFrame(() => document.querySelector<HTMLButtonElement>(`[data-testid="admin-rule"][data-id="${CSS.escape(id)}"] [data-move="${delta}"]:not(:disabled)`)?.focus());
    });

  return (
    <>
      {adding ? (
        <RuleEditor title={t('newRule')} choices={choices} onSave={async (body) => (rules.setData([...list, await api.createRule(body)]), setAdding(false))} onCancel={() => setAdding(false)} />
      ) : (
        <button class="btn btn-primary admin-start" onClick={() => setAdding(true)} data-testid="rule-new">
          {t('newRule')}
        </button>
      )}
      <Problem text={rules.error ?? choices.error ?? act.error} />
      {rules.data?.length === 0 && <p class="muted">{t('noRule')}</p>}
      <ol class="channel-list" aria-label={t('rulesOrder')}>
        {list.map((r, i) => (
          <RuleItem
            key={r.id}
            rule={r}
            i={i}
            n={list.length}
            choices={choices}
            busy={act.busy}
            onMove={(d) => reorder(i, d)}
            onSaved={replace}
            onDeleted={() => rules.setData((xs) => xs?.filter((x) => x.id !== r.id) ?? null)}
          />
        ))}
      </ol>
      {list.length > 0 && <DryRun rules={list} api={api} names={choices.names} />}
    </>
  );
}

function RuleItem(p: { rule: AutomationRuleView; i: number; n: number; choices: Choices; busy: boolean; onMove: (delta: number) => void; onSaved: (r: AutomationRuleView) => void; onDeleted: () => void }) {
  const { rule, i, n, choices } = p;
  const api = automationApi(useApi());
  const [editing, setEditing] = useState(false);
  const act = useAction();
  if (editing)
    return (
      <Card testid="admin-rule" id={rule.id}>
        <RuleEditor initial={rule} title={t('change', { name: rule.name })} choices={choices} onSave={async (body) => (p.onSaved(await api.updateRule(rule.id, body)), setEditing(false))} onCancel={() => setEditing(false)} />
      </Card>
    );
  const s = rule.stats;
  return (
    <Card testid="admin-rule" id={rule.id}>
      <div class={`channel-row${rule.enabled ? '' : ' auto-off'}`}>
        <span class="auto-num">{i + 1}.</span>
        <span class="channel-name" data-testid="rule-title">
          {rule.name}
        </span>
        <label class="channel-kind">
          <input
            type="checkbox"
            role="switch"
            checked={rule.enabled}
            disabled={act.busy}
            data-testid="rule-enabled"
            onChange={(e) => {
              const enabled = e.currentTarget.checked;
              void act.run(async () => p.onSaved(await api.updateRule(rule.id, { enabled })));
            }}
          />{' '}
          {rule.enabled ? t('on') : t('off')}
        </label>
      </div>
      <p>
        <span class="muted">{t('when')}</span> {triggerText(rule.trigger)}
      </p>
      <p class="muted">{conditionsText(rule, choices.names)}</p>
      <p>
        <span class="muted">{t('thenLabel')}</span> {actionsText(rule.actions, choices.names)}
      </p>
      <p class="muted" data-testid="rule-stats" data-runs={s.runs}>
        <IconClock size={13} /> {statsText(s, now.value)}
        {s.capped > 0 && t('capped', { count: s.capped })}
      </p>
      {s.lastError && (
        <p class="channel-error" data-testid="rule-error">
          {t('lastError', { e: s.lastError })}
        </p>
      )}
      <Problem text={act.error} />
      <div class="admin-row">
        <button class="btn btn-small" data-move="-1" aria-label={t('moveUp', { name: rule.name })} disabled={p.busy || i === 0} onClick={() => p.onMove(-1)}>
          {t('up')}
        </button>
        <button class="btn btn-small" data-move="1" aria-label={t('moveDown', { name: rule.name })} disabled={p.busy || i === n - 1} onClick={() => p.onMove(1)}>
          {t('down')}
        </button>
        <button class="btn btn-small" data-testid="rule-change" onClick={() => setEditing(true)}>
          {t('changeBtn')}
        </button>
        <ConfirmButton label={t('delete')} question={t('deleteRule', { name: rule.name })} onConfirm={() => void act.run(async () => (await api.deleteRule(rule.id), p.onDeleted()))} />
      </div>
    </Card>
  );
}
