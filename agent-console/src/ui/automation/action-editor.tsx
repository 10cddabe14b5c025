import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { AdminAgent, AdminTeam, InboxChoice, Webhook } from '../../admin/admin-api.js';
import { ACTION_TYPES, fieldPaths, MAX_ACTIONS, move, newAction, placeServerError, PRIORITIES, STATUSES, type ActionRow, type FieldErrors, type Unit } from '../../automation/rule-form.js';
import { actionName, PLACEHOLDERS, priorityName, statusName, type Names } from '../../automation/summaries.js';
import { t } from '../../i18n/automation.js';
import { useAdminApi, useLoad } from '../admin/parts.js';

/**
 * The ordered action list both the rule and the macro editor use: add, remove, move up and down,
 * and each action's own fields (agent and team pickers, tags, priority, status, reply text with
 * its placeholders, webhook, snooze time). Also the pieces the two editors share.
 */

const CSS = `
.auto-rows { display: flex; flex-direction: column; gap: 8px; margin: 0; padding: 0; list-style: none }
.auto-row { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 6px; padding: 8px; border: 1px solid var(--border); border-radius: 8px }
.auto-row > .auto-fields { display: flex; flex: 1 1 260px; flex-wrap: wrap; gap: 6px; align-items: center }
.auto-row textarea { flex: 1 1 100%; min-height: 64px }
.auto-row .inline-error, .auto-hint { flex: 1 1 100%; margin: 0; font-size: 12px }
.auto-num { min-width: 1.4em; padding-top: 7px; color: var(--muted); font-weight: 700 }
.auto-set { display: flex; flex-direction: column; gap: 8px; margin: 0; padding: 10px 12px; border: 1px solid var(--border); border-radius: 10px }
.auto-set legend { padding: 0 4px; font-size: 13px; font-weight: 700 }
.auto-result { margin: 0; padding-left: 18px; font-size: 13px }
.auto-pass { color: var(--green) } .auto-fail { color: var(--red) }
.auto-off { opacity: .65 }
`;
let styled = false;
export function addAutomationStyles(): void {
  if (styled || typeof document === 'undefined') return;
  styled = true;
  const style = document.createElement('style');
  style.textContent = CSS;
  document.head.append(style);
}

/** The team's agents, teams, webhooks and (when asked) inboxes, for pickers and for names in summaries. */
export interface Choices {
  agents: AdminAgent[];
  teams: AdminTeam[];
  webhooks: Webhook[];
  inboxes: InboxChoice[];
  names: Names;
  error: string | null;
}

export function useChoices(withInboxes = false): Choices {
  const api = useAdminApi();
  const agents = useLoad(() => api.agents().then((r) => r.items));
  const teams = useLoad(() => api.teams().then((r) => r.items));
  const hooks = useLoad(() => api.webhooks().then((r) => r.items));
  const inboxes = useLoad(() => (withInboxes ? api.inboxes() : Promise.resolve<InboxChoice[]>([])));
  const find = <T extends { id: string }>(list: T[] | null, id: string) => list?.find((x) => x.id === id);
  return {
    agents: agents.data?.filter((a) => a.active) ?? [],
    teams: teams.data ?? [],
    webhooks: hooks.data ?? [],
    inboxes: inboxes.data ?? [],
    names: {
      agent: (id) => find(agents.data, id)?.name,
      team: (id) => find(teams.data, id)?.name,
      webhook: (id) => find(hooks.data, id)?.url,
      inbox: (id) => find(inboxes.data, id)?.name,
    },
    error: agents.error ?? teams.error ?? hooks.error ?? inboxes.error,
  };
}

/** Checks and saves a rule or macro; a refusal is shown at the field it names when there is one. */
export function useSave<F extends { actions: ActionRow[] }, B>(check: (f: F) => { ok: true; body: B } | { ok: false; errors: FieldErrors }, save: (body: B) => Promise<unknown>) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (form: F) => {
    const r = check(form);
    setGeneral(null);
    if (!r.ok) return setErrors(r.errors);
    setErrors({});
    setBusy(true);
    try {
      await save(r.body);
    } catch (err) {
      const placed = placeServerError(err as Error & { details?: unknown }, fieldPaths(form));
      setErrors(placed.fields);
      setGeneral(placed.general);
    } finally {
      setBusy(false);
    }
  };
  return { errors, general, busy, submit, hasErrors: Object.keys(errors).length > 0 };
}

/** The error for one field, if any, under it. */
export function FieldNote({ errors, path }: { errors: FieldErrors; path: string }) {
  const text = errors[path];
  return text ? (
    <p class="inline-error" role="alert" data-testid="field-error" data-path={path}>
      {text}
    </p>
  ) : null;
}

export function Select<T extends string>(p: { value: T; options: readonly T[]; name?: (o: T) => string; label: string; testid?: string; onChange: (v: T) => void; children?: ComponentChildren }) {
  return (
    <select class="select" aria-label={p.label} value={p.value} data-testid={p.testid} onChange={(e) => p.onChange(e.currentTarget.value as T)}>
      {p.children}
      {p.options.map((o) => (
        <option key={o} value={o}>
          {p.name?.(o) ?? o}
        </option>
      ))}
    </select>
  );
}


/** An amount and its unit (minutes, hours, days). */
export function Duration(p: { amount: string; unit: Unit; label: string; testid?: string; onChange: (amount: string, unit: Unit) => void }) {
  return (
    <>
      <input class="input admin-narrow" inputMode="numeric" aria-label={p.label} value={p.amount} data-testid={p.testid} onInput={(e) => p.onChange(e.currentTarget.value, p.unit)} />
      <Select label={t('unitOf', { label: p.label })} value={p.unit} options={['min', 'h', 'd'] as Unit[]} name={(u) => t(`unit.${u}`)} onChange={(u) => p.onChange(p.amount, u)} />
    </>
  );
}

/** Up, down and remove for row `i` of `n`, each labelled for screen readers. */
export function RowButtons({ what, i, n, onMove, onRemove }: { what: 'action' | 'condition'; i: number; n: number; onMove?: (delta: number) => void; onRemove: () => void }) {
  return (
    <span class="admin-row">
      {onMove && (
        <>
          <button type="button" class="btn btn-small" aria-label={t('moveRowUp', { what: t(`what.${what}`), n: i + 1 })} disabled={i === 0} onClick={() => onMove(-1)}>
            ↑
          </button>
          <button type="button" class="btn btn-small" aria-label={t('moveRowDown', { what: t(`what.${what}`), n: i + 1 })} disabled={i === n - 1} onClick={() => onMove(1)}>
            ↓
          </button>
        </>
      )}
      <button type="button" class="btn btn-small" aria-label={t('removeRow', { what: t(`what.${what}`), n: i + 1 })} data-testid={`${what}-remove`} onClick={onRemove}>
        ×
      </button>
    </span>
  );
}

export function ActionEditor({ rows, onChange, errors, choices }: { rows: ActionRow[]; onChange: (rows: ActionRow[]) => void; errors: FieldErrors; choices: Choices }) {
  addAutomationStyles();
  const set = (i: number, row: ActionRow) => onChange(rows.map((r, j) => (j === i ? row : r)));
  return (
    <fieldset class="auto-set">
      <legend>{t('actionsLegend')}</legend>
      <ol class="auto-rows">
        {rows.map((row, i) => (
          <li key={row.rid} class="auto-row" data-testid="action-row">
            <span class="auto-num">{i + 1}.</span>
            <div class="auto-fields">
              <Select
                label={t('actionN', { n: i + 1 })}
                testid="action-type"
                value={row.type}
                options={ACTION_TYPES}
                name={actionName}
                onChange={(type) => set(i, { ...newAction(type), rid: row.rid })}
              />
              <ActionFields row={row} i={i} set={(r) => set(i, r)} errors={errors} choices={choices} />
            </div>
            <RowButtons what="action" i={i} n={rows.length} onMove={(d) => onChange(move(rows, i, d))} onRemove={() => onChange(rows.filter((_r, j) => j !== i))} />
            <FieldNote errors={errors} path={`/actions/${i}`} />
          </li>
        ))}
      </ol>
      <FieldNote errors={errors} path="/actions" />
      <button type="button" class="btn btn-small admin-start" disabled={rows.length >= MAX_ACTIONS} data-testid="action-add" onClick={() => onChange([...rows, newAction()])}>
        {t('addAction')}
      </button>
    </fieldset>
  );
}

function ActionFields({ row, i, set, errors, choices }: { row: ActionRow; i: number; set: (r: ActionRow) => void; errors: FieldErrors; choices: Choices }) {
  const at = `/actions/${i}`;
  const value = (v: string) => set({ ...row, value: v });
  const label = (what: string) => t('actionOf', { n: i + 1, what });
  switch (row.type) {
    case 'assign_agent':
      return (
        <>
          <select class="select" aria-label={label(t('agent'))} value={row.value} data-testid="action-agent" onChange={(e) => value(e.currentTarget.value)}>
            <option value="">{t('nobody')}</option>
            {choices.agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
          <FieldNote errors={errors} path={`${at}/agentId`} />
        </>
      );
    case 'assign_team':
      return (
        <>
          <select class="select" aria-label={label(t('team'))} value={row.value} data-testid="action-team" onChange={(e) => value(e.currentTarget.value)}>
            <option value="">{t('chooseTeam')}</option>
            {choices.teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
          <label>
            <input type="checkbox" checked={row.runStrategy} onChange={(e) => set({ ...row, runStrategy: e.currentTarget.checked })} /> {t('strategy')}
          </label>
          <FieldNote errors={errors} path={`${at}/teamId`} />
        </>
      );
    case 'add_tags':
    case 'remove_tags':
      return (
        <>
          <input class="input" aria-label={label(t('tagsComma'))} placeholder="refund, billing" value={row.value} data-testid="action-tags" onInput={(e) => value(e.currentTarget.value)} />
          <FieldNote errors={errors} path={`${at}/tags`} />
        </>
      );
    case 'set_priority':
      return <Select label={label(t('priority'))} value={row.value} options={PRIORITIES} name={priorityName} testid="action-priority" onChange={value} />;
    case 'set_status':
      return <Select label={label(t('status'))} value={row.value} options={STATUSES} name={statusName} testid="action-status" onChange={value} />;
    case 'auto_reply':
    case 'add_note':
      return (
        <>
          <textarea
            class="input admin-text"
            aria-label={label(t(row.type === 'auto_reply' ? 'replyText' : 'noteText'))}
            aria-describedby={`hint-${row.rid}`}
            value={row.value}
            data-testid="action-text"
            onInput={(e) => value(e.currentTarget.value)}
          />
          <p class="muted auto-hint" id={`hint-${row.rid}`}>
            {t('placeholders', { list: PLACEHOLDERS.join(' ') })}
          </p>
          <FieldNote errors={errors} path={`${at}/text`} />
        </>
      );
    case 'send_webhook':
      return (
        <>
          <select class="select" aria-label={label(t('webhookSub'))} value={row.value} data-testid="action-webhook" onChange={(e) => value(e.currentTarget.value)}>
            <option value="">{t('chooseHook')}</option>
            {choices.webhooks.map((h) => (
              <option key={h.id} value={h.id}>
                {h.url}
              </option>
            ))}
          </select>
          <FieldNote errors={errors} path={`${at}/webhookId`} />
        </>
      );
    case 'snooze':
      return (
        <>
          <Duration label={label(t('snoozeFor'))} amount={row.value} unit={row.unit} testid="action-snooze" onChange={(v, unit) => set({ ...row, value: v, unit })} />
          <FieldNote errors={errors} path={`${at}/minutes`} />
        </>
      );
    case 'close':
      return <span class="muted">{t('closeNote')}</span>;
  }
}
