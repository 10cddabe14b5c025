import type { ComponentType, VNode } from 'preact';
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { t } from '../i18n/core.js';

/**
 * A screen that ships as its own chunk and is fetched the first time it is shown ("Loading…"
 * meanwhile; if the chunk cannot be fetched, the reason and a Retry). Keeps app.js to what every
 * agent needs when the console opens. `fallback` replaces "Loading…" where the screen has a plainer form.
 */
export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>, fallback?: (props: P) => VNode | null): ComponentType<P> {
  let view: ComponentType<P> | null = null;
  return function LazyView(props: P) {
    const attempt = useSignal(0);
    const error = useSignal<string | null>(null);
    const ready = useSignal(view !== null);
    useEffect(() => {
      if (view) return;
      error.value = null;
      load().then(
        (v) => {
          view = v;
          ready.value = true;
        },
        () => (error.value = t('lazy.failed')),
      );
    }, [attempt.value]);
    const View = ready.value ? view : null;
    if (View) return <View {...props} />;
    return error.value ? (
      <div class="inline-error lazy-note" role="alert">
        <span>{error.value}</span>
        <button class="btn btn-small" onClick={() => attempt.value++}>
          {t('common.retry')}
        </button>
      </div>
    ) : fallback ? (
      fallback(props)
    ) : (
      <p class="muted lazy-note">{t('list.loading')}</p>
    );
  };
}
