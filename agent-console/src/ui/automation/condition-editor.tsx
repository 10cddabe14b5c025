import { useId } from 'preact/hooks';
import { CHANNELS, CONDITION_KINDS, MAX_CONDITIONS, newCondition, PRIORITIES, type ConditionRow, type FieldErrors } from '../../automation/rule-form.js';
import { CHANNEL_NAMES, CONDITION_NAMES } from '../../automation/summaries.js';
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
      <legend>Conditions</legend>
      <div class="admin-row" role="radiogroup" aria-label="Which conditions must hold">
        {(['all', 'any'] as const).map((m) => (
          <label key={m}>
            <input type="radio" name={group} checked={match === m} onChange={() => p.onChange(rows, m)} /> {m === 'all' ? 'All of them' : 'Any one of them'}
          </label>
        ))}
      </div>
      {rows.length === 0 && <p class="muted">No conditions: the rule acts on every trigger.</p>}
      <ol class="auto-rows">
        {rows.map((row, i) => (
          <li key={row.rid} class="auto-row" data-testid="condition-row">
            <span class="auto-num">{i + 1}.</span>
            <div class="auto-fields">
              <Select
                label={`Condition ${i + 1}`}
                testid="condition-kind"
                value={row.kind}
                options={CONDITION_KINDS}
                names={CONDITION_NAMES}
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
        Add condition
      </button>
    </fieldset>
  );
}

const OPS: Record<string, Record<string, string>> = {
  text: { contains: 'contains', matches: 'matches the pattern' },
  contact_attribute: { equals: 'is', contains: 'contains', exists: 'is set', missing: 'is not set' },
  business_hours: { open: 'within business hours', closed: 'outside business hours' },
  tags: { any: 'has any of', all: 'has all of', none: 'has none of' },
  assignee: { present: 'someone is assigned', absent: 'nobody is assigned' },
  waiting_time: { more_than: 'more than', less_than: 'less than' },
};

function ConditionFields({ row, i, set, errors, choices }: { row: ConditionRow; i: number; set: (r: ConditionRow) => void; errors: FieldErrors; choices: Choices }) {
  const at = `/conditions/${i}`;
  const label = (what: string) => `Condition ${i + 1}: ${what}`;
  const ops = OPS[row.kind];
  const op = ops && <Select label={label('operator')} testid="condition-op" value={row.op} options={Object.keys(ops)} names={ops} onChange={(v) => set({ ...row, op: v })} />;
  const text = (what: string, path: string, placeholder?: string) => (
    <>
      <input class="input" aria-label={label(what)} placeholder={placeholder} value={row.value} data-testid="condition-value" onInput={(e) => set({ ...row, value: e.currentTarget.value })} />
      <FieldNote errors={errors} path={`${at}/${path}`} />
    </>
  );
  const ticks = (options: { id: string; name: string }[]) => (
    <>
      <span class="admin-row" role="group" aria-label={label(row.kind)}>
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
        {options.length === 0 && <span class="muted">None yet.</span>}
      </span>
      <FieldNote errors={errors} path={`${at}/in`} />
    </>
  );
  switch (row.kind) {
    case 'text':
      return (
        <>
          {op}
          {text(row.op === 'matches' ? 'regular expression' : 'words', 'value', row.op === 'matches' ? 'refund|money back' : 'refund')}
        </>
      );
    case 'channel':
      return ticks(CHANNELS.map((c) => ({ id: c, name: CHANNEL_NAMES[c] ?? c })));
    case 'inbox':
      return ticks(choices.inboxes);
    case 'priority':
      return ticks(PRIORITIES.map((x) => ({ id: x, name: x })));
    case 'language':
      return text('language codes, separated by commas', 'in', 'en, de-AT');
    case 'contact_attribute':
      return (
        <>
          <input class="input" list="auto-attributes" aria-label={label('attribute')} placeholder="email" value={row.key} data-testid="condition-key" onInput={(e) => set({ ...row, key: e.currentTarget.value })} />
          <datalist id="auto-attributes">
            {['name', 'email', 'phone', 'handle'].map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
          {op}
          {(row.op === 'equals' || row.op === 'contains') && text('value', 'value')}
          <FieldNote errors={errors} path={`${at}/key`} />
        </>
      );
    case 'tags':
      return (
        <>
          {op}
          {text('tags, separated by commas', 'tags', 'vip, billing')}
        </>
      );
    case 'waiting_time':
      return (
        <>
          {op}
          <Duration label={label('waiting time')} amount={row.value} unit={row.unit} onChange={(value, unit) => set({ ...row, value, unit })} />
          <FieldNote errors={errors} path={`${at}/minutes`} />
        </>
      );
    default:
      return op ?? null;
  }
}
