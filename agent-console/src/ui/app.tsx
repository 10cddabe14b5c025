import type { ConsoleStore } from '../console-store.js';
import { StoreContext, useStore } from './context.js';
import { Login } from './login.js';
import { Sidebar } from './sidebar.js';
import { ThreadView } from './thread-view.js';

function Toast() {
  const store = useStore();
  const notice = store.notice.value;
  if (!notice) return null;
  return (
    <div class={`toast toast-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      <span>{notice.text}</span>
      <button class="icon-btn" aria-label="Dismiss" onClick={() => store.dismissNotice()}>
        ×
      </button>
    </div>
  );
}

function Shell() {
  const store = useStore();
  return (
    <div class="app" data-view={store.selectedId.value ? 'thread' : 'list'}>
      <Sidebar />
      <main class="pane">
        <ThreadView />
      </main>
      <Toast />
    </div>
  );
}

export function App({ store }: { store: ConsoleStore }) {
  return <StoreContext.Provider value={store}>{store.session.value ? <Shell /> : <Login />}</StoreContext.Provider>;
}
