/**
 * The CSS of the chat's core, placed in its shadow root; the lazy parts (pre-chat and offline
 * forms, emoji grid, suggestions) bring their own rules in a <style> they render. `:host { all:
 * initial }` with !important wins over page rules that target the host element, and nothing else
 * on the page reaches inside. The resets are bare element selectors (nothing outside the shadow
 * root can match them), so they weigh nothing and the component rules below need no !important.
 */
export const styles = `\
:host{all:initial!important}\
.sb{--sb-accent:#4f46e5;--sb-fg:#0f172a;--sb-muted:#64748b;--sb-line:#e2e8f0;--sb-soft:#f1f5f9;\
font:14px/1.45 system-ui,"Segoe UI",Roboto,sans-serif;color:var(--sb-fg)}\
*,::before,::after{box-sizing:border-box;margin:0;padding:0;font:inherit;color:inherit}\
button{cursor:pointer;border:0;background:none}\
:focus-visible{outline:2px solid var(--sb-accent);outline-offset:2px}\
.launcher,.panel{position:fixed;right:20px;bottom:20px;z-index:2147483000}\
.left .launcher,.left .panel{right:auto;left:20px}\
.launcher{width:56px;height:56px;border-radius:50%;background:var(--sb-accent);color:#fff;display:grid;place-items:center;\
box-shadow:0 6px 20px #0f172a40;transition:transform .15s}\
.launcher:hover{transform:scale(1.06)}\
.launcher svg{width:26px;height:26px}\
.badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;\
background:#ef4444;color:#fff;font-size:12px;font-weight:600;line-height:20px;text-align:center}\
.panel{bottom:88px;width:370px;height:min(600px,calc(100vh - 112px));display:flex;flex-direction:column;background:#fff;\
border-radius:16px;overflow:hidden;box-shadow:0 12px 48px #0f172a38,0 0 0 1px #0f172a0f;animation:sb-in .18s ease-out}\
.bare .panel{bottom:20px;height:min(600px,calc(100vh - 40px))}\
@keyframes sb-in{from{opacity:0;transform:translateY(12px) scale(.98)}}\
.header{display:flex;align-items:center;gap:12px;padding:16px 14px 16px 18px;background:var(--sb-accent);color:#fff}\
.header>div{flex:1;min-width:0}\
.title{font-size:16px;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}\
.sub{font-size:13px;opacity:.85}\
.av{width:34px;height:34px;border-radius:50%;flex:none;display:grid;place-items:center;background:#fff3;font-size:13px;font-weight:600;object-fit:cover}\
.av::before{content:attr(data-i)}\
.icon,.tool{width:32px;height:32px;border-radius:8px;display:grid;place-items:center;flex:none}\
.icon:hover{background:#fff3}\
svg{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}\
.banner{padding:6px 14px;background:#fef3c7;color:#92400e;font-size:13px;text-align:center}\
.log{flex:1;overflow-y:auto;padding:16px 14px 8px;display:flex;flex-direction:column;gap:2px;overscroll-behavior:contain}\
.empty{margin:auto 12px;text-align:center;color:var(--sb-muted)}\
.empty strong{display:block;font-size:16px;font-weight:600;color:var(--sb-fg);margin-bottom:4px}\
.msg{display:flex;flex-direction:column;max-width:80%;align-items:flex-start;align-self:flex-start}\
.first{margin-top:10px}\
.visitor{align-self:flex-end;align-items:flex-end}\
.system{align-self:center;max-width:90%}\
.name{display:flex;align-items:center;gap:6px;font-size:12px;color:var(--sb-muted);margin:0 0 3px 4px}\
.name .av{width:20px;height:20px;font-size:9px;color:#fff}\
.drop{position:absolute;inset:8px;z-index:1;display:grid;place-items:center;border:2px dashed var(--sb-accent);border-radius:12px;background:#fffffff2;color:var(--sb-accent);font-weight:600;pointer-events:none}\
.bubble{padding:8px 12px;border-radius:16px;background:var(--sb-soft);white-space:pre-wrap;overflow-wrap:anywhere}\
.visitor .bubble{background:var(--sb-accent);color:#fff}\
.system .bubble{background:none;color:var(--sb-muted);font-size:12px;text-align:center}\
.pending .bubble{opacity:.6}\
.failed .bubble{background:#fee2e2;color:#991b1b}\
.bubble em{font-style:italic;opacity:.75}\
.file{display:block;font-size:13px}\
.file img{display:block;max-width:100%;max-height:200px;border-radius:10px;margin:2px 0}\
.meta{font-size:11px;color:var(--sb-muted);margin:3px 6px 0}\
.err{color:#b91c1c}\
.meta button{text-decoration:underline;font-weight:600}\
.typing{display:flex;align-items:center;gap:6px;padding:2px 18px 6px;font-size:12px;color:var(--sb-muted)}\
.dots{display:inline-flex;gap:3px}\
.dots i{width:5px;height:5px;border-radius:50%;background:currentColor;animation:sb-dot 1.2s infinite}\
.dots i+i{animation-delay:.15s}.dots i+i+i{animation-delay:.3s}\
@keyframes sb-dot{30%{opacity:1;transform:translateY(-2px)}0%,60%,to{opacity:.3}}\
.tool:hover{background:var(--sb-line)}\
.composer{display:flex;align-items:flex-end;gap:4px;padding:10px;border-top:1px solid var(--sb-line)}\
.composer textarea{flex:1;resize:none;border:0;outline:0;background:none;max-height:120px;padding:8px 4px;line-height:1.4;font-size:15px}\
.composer textarea::placeholder{color:#94a3b8}\
.tool{height:38px;color:var(--sb-muted);font-size:18px}\
.send{width:38px;height:38px;border-radius:50%;flex:none;display:grid;place-items:center;background:var(--sb-accent);color:#fff}\
.send:disabled{opacity:.35;cursor:default}\
.send svg{width:18px;height:18px}\
@media (max-width:480px){.panel{inset:0;width:auto;height:auto;border-radius:0}.open .launcher{display:none}}\
@media (prefers-reduced-motion:reduce){.panel,.dots i,.launcher{animation:none;transition:none}}`;
