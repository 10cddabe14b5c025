import type { Role } from '@switchboard/contracts';
import { useState } from 'preact/hooks';
import type { AdminAgent, InboxChoice } from '../../admin/admin-api.js';
import { accessChange, agentState, inboxAccessText, inviteBody, roleName, ROLES, stateName, toggleId } from '../../admin/agents.js';
import { t } from '../../i18n/admin.js';
import { useStore } from '../context.js';
import { IconUser } from '../icons.js';
import { Card, ConfirmButton, Done, Problem, useAction, useAdminApi, useLoad } from './parts.js';

/** Agents: invite by email, role and inbox access, deactivate / reactivate, resend an invitation. */
export default function AgentsTab() {
  const api = useAdminApi();
  const agents = useLoad(() => api.agents().then((r) => r.items));
  // Inbox names are a nicety: without them the access is still shown and changed by id.
  const inboxes = useLoad(() => api.inboxes().catch(() => [] as InboxChoice[]));
  const [done, setDone] = useState<string | null>(null);
  const put = (a: AdminAgent) => agents.setData((list) => (list?.some((x) => x.id === a.id) ? list.map((x) => (x.id === a.id ? a : x)) : [...(list ?? []), a]));

  return (
    <>
      <InviteForm
        inboxes={inboxes.data ?? []}
        onInvited={(a) => {
          put(a);
          setDone(a.invitationSent ? t('agents.sent', { email: a.email }) : t('agents.notSent', { name: a.name }));
        }}
      />
      <Done text={done} />
      <Problem text={agents.error} />
      {!agents.data && !agents.error && <p class="muted">{t('loading')}</p>}
      <ul class="channel-list" aria-label={t('agents.list')}>
        {agents.data?.map((a) => <AgentItem key={a.id} a={a} inboxes={inboxes.data ?? []} onChange={put} onDone={setDone} />)}
      </ul>
    </>
  );
}

function InboxChecks({ inboxes, role, all, ids, setAll, setIds }: { inboxes: InboxChoice[]; role: Role; all: boolean; ids: string[]; setAll: (v: boolean) => void; setIds: (v: string[]) => void }) {
  if (role !== 'agent') return <p class="muted">{t('agents.everyInbox')}</p>;
  return (
    <fieldset class="admin-checks">
      <legend>{t('agents.access')}</legend>
      <label>
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} /> {t('allInboxes')}
      </label>
      {!all &&
        inboxes.map((i) => (
          <label key={i.id}>
            <input type="checkbox" checked={ids.includes(i.id)} onChange={(e) => setIds(toggleId(ids, i.id, e.currentTarget.checked))} /> {i.name}
          </label>
        ))}
    </fieldset>
  );
}

function RoleSelect({ value, set, label }: { value: Role; set: (r: Role) => void; label: string }) {
  return (
    <label class="admin-field">
      <span>{label}</span>
      <select class="select" value={value} onChange={(e) => set(e.currentTarget.value as Role)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {roleName(r)}
          </option>
        ))}
      </select>
    </label>
  );
}

function InviteForm({ inboxes, onInvited }: { inboxes: InboxChoice[]; onInvited: (a: Awaited<ReturnType<ReturnType<typeof useAdminApi>['invite']>>) => void }) {
  const api = useAdminApi();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [all, setAll] = useState(true);
  const [ids, setIds] = useState<string[]>([]);
  const act = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const r = inviteBody({ email, name, role, allInboxes: all, inboxIds: ids });
    if (!r.ok) return act.setError(r.error);
    let invited: Parameters<typeof onInvited>[0] | null = null;
    if (await act.run(async () => (invited = await api.invite(r.body)))) {
      setEmail('');
      setName('');
      onInvited(invited!);
    }
  };
  return (
    <form class="channel-add admin-form" onSubmit={submit} aria-labelledby="invite-title" data-testid="invite-form">
      <h2 id="invite-title">{t('agents.inviteTitle')}</h2>
      <p class="muted">{t('agents.inviteHint')}</p>
      <div class="admin-row">
        <label class="admin-field">
          <span>{t('agents.email')}</span>
          <input class="input" type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} data-testid="invite-email" />
        </label>
        <label class="admin-field">
          <span>{t('agents.name')}</span>
          <input class="input" value={name} onInput={(e) => setName(e.currentTarget.value)} data-testid="invite-name" />
        </label>
        <RoleSelect value={role} set={setRole} label={t('agents.role')} />
      </div>
      <InboxChecks inboxes={inboxes} role={role} all={all} ids={ids} setAll={setAll} setIds={setIds} />
      <Problem text={act.error} />
      <button class="btn btn-primary admin-start" type="submit" disabled={act.busy} data-testid="invite-submit">
        {act.busy ? t('agents.sending') : t('agents.send')}
      </button>
    </form>
  );
}

function AgentItem({ a, inboxes, onChange, onDone }: { a: AdminAgent; inboxes: InboxChoice[]; onChange: (a: AdminAgent) => void; onDone: (t: string) => void }) {
  const api = useAdminApi();
  const me = useStore().agent.value?.id === a.id;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(a.name);
  const [role, setRole] = useState<Role>(a.role);
  const [all, setAll] = useState(a.inboxIds === null);
  const [ids, setIds] = useState<string[]>(a.inboxIds ?? []);
  const act = useAction();
  const state = agentState(a);

  const save = async () => {
    const r = accessChange(role, all, ids, { now: name, was: a.name });
    if (!r.ok) return act.setError(r.error);
    if (await act.run(async () => onChange(await api.updateAgent(a.id, r.change)))) setEditing(false);
  };
  const resend = () =>
    act.run(async () => {
      const sent = await api.resendInvitation(a.id);
      onDone(sent.invitationSent ? t('agents.resent', { email: a.email }) : t('agents.resendFailed', { email: a.email }));
    });

  return (
    <Card testid="admin-agent" id={a.id}>
      <div class="channel-row">
        <IconUser size={16} />
        <span class="channel-name">{a.name}</span>
        <span class="channel-kind">{a.email}</span>
        <span class={`badge admin-state-${state}`} data-testid="agent-state">
          {stateName(state)}
        </span>
      </div>
      <p class="muted">
        {roleName(a.role)} · {inboxAccessText(a, inboxes)}
        {me && ` · ${t('agents.you')}`}
      </p>
      {editing && (
        <div class="admin-form">
          <label class="admin-field">
            <span>{t('agents.name')}</span>
            <input class="input" maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} data-testid="agent-name" />
          </label>
          <RoleSelect value={role} set={setRole} label={t('agents.roleOf', { name: a.name })} />
          <InboxChecks inboxes={inboxes} role={role} all={all} ids={ids} setAll={setAll} setIds={setIds} />
        </div>
      )}
      <Problem text={act.error} />
      <div class="admin-row">
        {editing ? (
          <>
            <button class="btn btn-small btn-primary" disabled={act.busy} onClick={save}>
              {t('save')}
            </button>
            <button class="btn btn-small" onClick={() => setEditing(false)}>
              {t('cancel')}
            </button>
          </>
        ) : (
          <button class="btn btn-small" onClick={() => setEditing(true)} disabled={!a.active}>
            {t('agents.change')}
          </button>
        )}
        {state === 'pending' && (
          <button class="btn btn-small" disabled={act.busy} onClick={resend}>
            {t('agents.resend')}
          </button>
        )}
        {!me &&
          (a.active ? (
            <ConfirmButton label={t('agents.deactivate')} question={t('agents.deactivateQ', { name: a.name })} onConfirm={() => void act.run(async () => onChange(await api.setActive(a.id, false)))} />
          ) : (
            <button class="btn btn-small" disabled={act.busy} onClick={() => void act.run(async () => onChange(await api.setActive(a.id, true)))}>
              {t('agents.reactivate')}
            </button>
          ))}
      </div>
    </Card>
  );
}
