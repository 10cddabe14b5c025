import { useState } from 'preact/hooks';
import type { AdminAgent, AdminTeam, Strategy } from '../../admin/admin-api.js';
import { STRATEGIES, strategyName, teamBody, teamForm, teamSummary, type MemberRow } from '../../admin/teams.js';
import { t as tr } from '../../i18n/admin.js';
import { IconInbox } from '../icons.js';
import { Card, ConfirmButton, Problem, useAction, useAdminApi, useLoad } from './parts.js';

/** Teams: create, rename, delete; how tickets are assigned; members and their capacity. */
export default function TeamsTab() {
  const api = useAdminApi();
  const teams = useLoad(() => api.teams().then((r) => r.items));
  const agents = useLoad(() => api.agents().then((r) => r.items.filter((a) => a.active)));
  const [adding, setAdding] = useState(false);
  const set = (t: AdminTeam) => teams.setData((list) => (list?.some((x) => x.id === t.id) ? list.map((x) => (x.id === t.id ? t : x)) : [...(list ?? []), t]));

  return (
    <>
      {adding ? (
        <TeamEditor agents={agents.data ?? []} title={tr('teams.new')} onSave={async (body) => (set(await api.createTeam(body)), setAdding(false))} onCancel={() => setAdding(false)} />
      ) : (
        <button class="btn btn-primary admin-start" onClick={() => setAdding(true)} data-testid="team-new">
          {tr('teams.new')}
        </button>
      )}
      <Problem text={teams.error ?? agents.error} />
      {teams.data?.length === 0 && <p class="muted">{tr('teams.none')}</p>}
      <ul class="channel-list" aria-label={tr('tab.teams')}>
        {teams.data?.map((t) => (
          <TeamItem key={t.id} t={t} agents={agents.data ?? []} onSaved={set} onDeleted={() => teams.setData((list) => list?.filter((x) => x.id !== t.id) ?? null)} />
        ))}
      </ul>
    </>
  );
}

function TeamItem({ t, agents, onSaved, onDeleted }: { t: AdminTeam; agents: AdminAgent[]; onSaved: (t: AdminTeam) => void; onDeleted: () => void }) {
  const api = useAdminApi();
  const [editing, setEditing] = useState(false);
  const act = useAction();
  const names = new Map(agents.map((a) => [a.id, a.name]));
  return (
    <Card testid="admin-team" id={t.id}>
      {editing ? (
        <TeamEditor initial={t} agents={agents} title={tr('teams.change', { name: t.name })} onSave={async (body) => (onSaved(await api.updateTeam(t.id, body)), setEditing(false))} onCancel={() => setEditing(false)} />
      ) : (
        <>
          <div class="channel-row">
            <IconInbox size={16} />
            <span class="channel-name">{t.name}</span>
            <span class="channel-kind">{teamSummary(t)}</span>
          </div>
          {t.members.length > 0 && (
            <p class="muted">{t.members.map((m) => `${names.get(m.agentId) ?? tr('teams.formerAgent')}${m.capacity === null ? '' : ` (${m.capacity})`}`).join(', ')}</p>
          )}
          <Problem text={act.error} />
          <div class="admin-row">
            <button class="btn btn-small" onClick={() => setEditing(true)}>
              {tr('teams.changeBtn')}
            </button>
            <ConfirmButton label={tr('delete')} question={tr('teams.deleteQ', { name: t.name })} onConfirm={() => void act.run(async () => (await api.deleteTeam(t.id), onDeleted()))} />
          </div>
        </>
      )}
    </Card>
  );
}

function TeamEditor(props: { initial?: AdminTeam; agents: AdminAgent[]; title: string; onSave: (body: Omit<AdminTeam, 'id'>) => Promise<unknown>; onCancel: () => void }) {
  const [form, setForm] = useState(() => teamForm(props.initial));
  const act = useAction();
  const member = (agentId: string) => form.members.find((m) => m.agentId === agentId);
  const setMember = (agentId: string, row: MemberRow | null) =>
    setForm({ ...form, members: [...form.members.filter((m) => m.agentId !== agentId), ...(row ? [row] : [])] });
  const submit = async (e: Event) => {
    e.preventDefault();
    const r = teamBody(form);
    if (!r.ok) return act.setError(r.error);
    await act.run(() => props.onSave(r.body));
  };
  return (
    <form class="admin-form" onSubmit={submit} aria-label={props.title} data-testid="team-form">
      <h2>{props.title}</h2>
      <div class="admin-row">
        <label class="admin-field">
          <span>{tr('agents.name')}</span>
          <input class="input" value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} data-testid="team-name" />
        </label>
        <label class="admin-field">
          <span>{tr('teams.assignment')}</span>
          <select class="select" value={form.strategy} onChange={(e) => setForm({ ...form, strategy: e.currentTarget.value as Strategy })}>
            {STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {strategyName(s)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset class="admin-checks">
        <legend>{tr('teams.membersLegend')}</legend>
        {props.agents.map((a) => {
          const m = member(a.id);
          return (
            <span class="admin-row" key={a.id}>
              <label>
                <input type="checkbox" checked={!!m} onChange={(e) => setMember(a.id, e.currentTarget.checked ? { agentId: a.id, capacity: '' } : null)} /> {a.name}
              </label>
              {m && (
                <input
                  class="input admin-narrow"
                  inputMode="numeric"
                  aria-label={tr('teams.capacityOf', { name: a.name })}
                  value={m.capacity}
                  onInput={(e) => setMember(a.id, { agentId: a.id, capacity: e.currentTarget.value })}
                />
              )}
            </span>
          );
        })}
      </fieldset>
      <Problem text={act.error} />
      <div class="admin-row">
        <button class="btn btn-primary" type="submit" disabled={act.busy} data-testid="team-save">
          {tr('teams.save')}
        </button>
        <button class="btn" type="button" onClick={props.onCancel}>
          {tr('cancel')}
        </button>
      </div>
    </form>
  );
}
