/**
 * The administration area's styles. They ship with its chunk instead of app.css, so agents who
 * never open #/admin do not download them (the hub's CSP allows inline styles). Injected once.
 */
const CSS = `
.admin-tabs { display: flex; flex-wrap: wrap; gap: 4px; padding: 8px 20px 0; border-bottom: 1px solid var(--border) }
.admin-tabs a { padding: 6px 10px; border-bottom: 2px solid transparent; color: var(--muted); font-size: 13px; font-weight: 600; text-decoration: none }
.admin-tabs a[aria-current='page'] { border-color: var(--brand); color: var(--text) }
.admin-body { max-width: 760px }
.admin-body h2 { display: flex; align-items: center; gap: 6px; margin: 4px 0 0; font-size: 15px }
.admin-form, .admin-checks { display: flex; flex-direction: column; gap: 10px; margin: 0; border: 0; padding: 0 }
.channel-add.admin-form { padding: 14px 16px }
.admin-item { display: flex; flex-direction: column; gap: 6px }
.admin-item p, .admin-form p { margin: 0 }
.admin-checks legend { margin-bottom: 4px; font-size: 13px; font-weight: 700 }
.admin-scopes { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)) }
.admin-row { display: flex; flex-wrap: wrap; align-items: center; gap: 8px }
.admin-field { display: flex; flex-direction: column; gap: 4px; font-size: 13px; font-weight: 600 }
.admin-body .input { flex: none; height: 34px; padding: 0 10px; border: 1px solid var(--border-strong); border-radius: 8px; background: var(--surface); color: var(--text); font: inherit }
.admin-body .admin-text { height: auto; padding: 6px 10px }
.admin-body .admin-narrow { width: 5em }
.admin-row > .admin-field { flex: 1 1 160px }
.admin-start { align-self: flex-start }
.admin-wrap { overflow-wrap: anywhere }
.admin-once { display: flex; flex-direction: column; gap: 8px; padding: 12px 14px; border-radius: 10px; background: var(--amber-soft) }
.admin-once p { margin: 0 }
.admin-once code { overflow-wrap: anywhere; font: 13px/1.5 ui-monospace, Menlo, Consolas, monospace }
.admin-done { display: flex; align-items: center; gap: 6px; margin: 0; color: var(--green) }
.admin-state-active { background: var(--green-soft); color: var(--green) }
.admin-state-pending { background: var(--amber-soft); color: var(--amber) }
.admin-state-deactivated { background: var(--slate-soft); color: var(--muted) }
.admin-sla { border-collapse: collapse; font-size: 13px }
.admin-sla th, .admin-sla td { padding: 4px 8px 4px 0; text-align: left; white-space: nowrap }
.admin-log { margin: 0; padding: 0; list-style: none; font-size: 12.5px }
.admin-delivery-failed { color: var(--red) }
.btn-danger { background: var(--red); color: #fff }
`;

let added = false;
export function addAdminStyles(): void {
  if (added || typeof document === 'undefined') return;
  added = true;
  const style = document.createElement('style');
  style.textContent = CSS;
  document.head.append(style);
}
