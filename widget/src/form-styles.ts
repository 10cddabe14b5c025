/** The rules of the pre-chat and offline forms (prechat.tsx, offline.tsx), which render them in a <style>. */
export const formStyles = `\
.off{background:var(--sb-soft);color:inherit;text-align:left}\
.off form{display:flex;gap:6px;align-items:end;margin:4px 0 2px}\
.off label{flex:1}\
label input{display:block;width:100%;margin-top:3px;padding:6px 9px;border:1px solid var(--sb-line);border-radius:8px;background:#fff}\
[aria-invalid=true]{border-color:#dc2626}\
.btn{padding:7px 14px;border-radius:8px;background:var(--sb-accent);color:#fff;font-weight:600}\
.form{flex:1;overflow-y:auto;padding:18px;display:flex;flex-direction:column;gap:12px}\
.form label,.form .err,.off .err{font-size:13px}`;
