import { useId } from 'preact/hooks';
import { CHANNELS, CONDITION_KINDS, MAX_CONDITIONS, newCondition, PRIORITIES, type ConditionRow, type FieldErrors } from '../../automation/rule-form.js';
import { channelName, conditionName, priorityName } from '../../automation/summaries.js';
import { t } from '../../i18n/automation.js';
import { Duration, FieldNote, RowButtons, Select, type Choices } from './action-editor.js';

/**
 * The rule's conditions: match all or any, and rows of field → operator → value, the value input
 * fitting the field (channels and inboxes to tick, text, a pattern, tags, minutes…).
 */
export function ConditionEditor(p: { rows: ConditionRow[]; match: 'all' | 'any'; onChange: (rows: ConditionRow[], match: 'all' | 'any') => void; errors: FieldErrors; choices: Choices }) {
  const { rows, match } = p;
  const group = useId();
  const set = (i: number, row: ConditionRow) => p.onChange(rows.map((r, j) => (j === i ? row : r)), match);
  return (
    <fieldset class="auto-set">
      <legend>{t('conditions')}</legend>
      <div class="admin-row" role="radiogroup" aria-label={t('whichHold')}>
        {(['all', 'any'] as const).map((m) => (
          <label key={m}>
            <input type="radio" name={group} checked={match === m} onChange={() => p.onChange(rows, m)} /> {m === 'all' ? t('allOf') : t('anyOf')}
          </label>
        ))}
      </div>
      {rows.length === 0 && <p class="muted">{t('noConditions')}</p>}
      <ol class="auto-rows">
        {rows.map((row, i) => (
          <li key={row.rid} class="auto-row" data-testid="condition-row">
            <span class="auto-num">{i + 1}.</span>
            <div class="auto-fields">
              <Select
                label={t('conditionN', { n: i + 1 })}
                testid="condition-kind"
                value={row.kind}
                options={CONDITION_KINDS}
                name={conditionName}
                onChange={(kind) => set(i, { ...newCondition(kind), rid: row.rid })}
              />
              <ConditionFields row={row} i={i} set={(r) => set(i, r)} errors={p.errors} choices={p.choices} />
            </div>
            <RowButtons what="condition" i={i} n={rows.length} onRemove={() => p.onChange(rows.filter((_r, j) => j !== i), match)} />
            <FieldNote errors={p.errors} path={`/conditions/${i}`} />
          </li>
        ))}
      </ol>
      <FieldNote errors={p.errors} path="/conditions" />
      <button type="button" class="btn btn-small admin-start" disabled={rows.length >= MAX_CONDITIONS} data-testid="condition-add" onClick={() => p.onChange([...rows, newCondition()], match)}>
        {t('addCondition')}
      </button>
    </fieldset>
  );
}

/** Each field's operators, named by the catalogue's `op.<operator>`. */
const OPS: Record<string, string[]> = {
  text: ['contains', 'matches'],
  contact_attribute: ['equals', 'contains', 'exists', 'missing'],
  business_hours: ['open', 'closed'],
  tags: ['any', 'all', 'none'],
  assignee: ['present', 'absent'],
  waiting_time: ['more_than', 'less_than'],
};
const opName = (op: string) => t(`op.${op}` as Parameters<typeof t>[0]);

function ConditionFields({ row, i, set, errors, choices }: { row: ConditionRow; i: number; set: (r: ConditionRow) => void; errors: FieldErrors; choices: Choices }) {
  const at = `/conditions/${i}`;
  const label = (what: string) => t('conditionOf', { n: i + 1, what });
  const ops = OPS[row.kind];
  const op = ops && <Select label={label(t('operator'))} testid="condition-op" value={row.op} options={ops} name={opName} onChange={(v) => set({ ...row, op: v })} />;
  const text = (what: string, path: string, placeholder?: string) => (
    <>
      <input class="input" aria-label={label(what)} placeholder={placeholder} value={row.value} data-testid="condition-value" onInput={(e) => set({ ...row, value: e.currentTarget.value })} />
      <FieldNote errors={errors} path={`${at}/${path}`} />
    </>
  );
  const ticks = (options: { id: string; name: string }[]) => (
    <>
      <span class="admin-row" role="group" aria-label={label(t(`kind.${row.kind as 'channel' | 'inbox' | 'priority'}`))}>
        {options.map((o) => (
          <label key={o.id}>
            <input
              type="checkbox"
              checked={row.in.includes(o.id)}
              onChange={(e) => set({ ...row, in: e.currentTarget.checked ? [...row.in, o.id] : row.in.filter((x) => x !== o.id) })}
            />{' '}
            {o.name}
          </label>
        ))}
        {options.length === 0 && <span class="muted">{t('noneYet')}</span>}
      </span>
      <FieldNote errors={errors} path={`${at}/in`} />
    </>
  );
  switch (row.kind) {
    case 'text':
      return (
        <>
          {op}
          {text(row.op === 'matches' ? t('regex') : t('words'), 'value', row.op === 'matches' ? 'refund|money back' : 'refund')}
        </>
      );
    case 'channel':
      return ticks(CHANNELS.map((c) => ({ id: c, name: channelName(c) })));
    case 'inbox':
      return ticks(choices.inboxes);
    case 'priority':
      return ticks(PRIORITIES.map((x) => ({ id: x, name: priorityName(x) })));
    case 'language':
      return text(t('langCodes'), 'in', 'en, de-AT');
    case 'contact_attribute':
      return (
        <>
          <input class="input" list="auto-attributes" aria-label={label(t('attribute'))} placeholder="email" value={row.key} data-testid="condition-key" onInput={(e) => set({ ...row, key: e.currentTarget.value })} />
          <datalist id="auto-attributes">
            {['name', 'email', 'phone', 'handle'].map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
          {op}
          {(row.op === 'equals' || row.op === 'contains') && text(t('value'), 'value')}
          <FieldNote errors={errors} path={`${at}/key`} />
        </>
      );
    case 'tags':
      return (
        <>
          {op}
          {text(t('tagsComma'), 'tags', 'vip, billing')}
        </>
      );
    case 'waiting_time':
      return (
        <>
          {op}
          <Duration label={label(t('waitingTime'))} amount={row.value} unit={row.unit} onChange={(value, unit) => set({ ...row, value, unit })} />
          <FieldNote errors={errors} path={`${at}/minutes`} />
        </>
      );
    default:
      return op ?? null;
  }
}
