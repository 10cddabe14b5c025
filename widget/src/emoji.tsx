import { useEffect, useRef } from 'preact/hooks';
import { t } from './i18n.js';

/** A small set of common emoji; one code point each, so the list splits by character. */
export const EMOJI = [...'😀😂😊😍🥰😘😉😎🤔😮😢😭😅🙂🙏👍👎👏👋🎉💯🔥✅💜'];

const css = `.emo{display:grid;grid-template-columns:repeat(8,1fr);padding:6px;border-top:1px solid var(--sb-line);background:var(--sb-soft)}\
.emo button{font-size:20px;border-radius:6px}.emo button:hover{background:var(--sb-line)}`;

/** The emoji grid, a chunk loaded on the first click of its button: opens with focus on its first emoji, so Tab and Enter reach every one. */
export function Emoji({ onPick }: { onPick(emoji: string): void }) {
  const grid = useRef<HTMLDivElement>(null);
  useEffect(() => grid.current!.querySelector('button')!.focus(), []);
  return (
    <div class="emo" ref={grid} role="group" aria-label={t('emoji')} data-sb="emoji-grid">
      <style>{css}</style>
      {EMOJI.map((e) => (
        <button type="button" key={e} onClick={() => onPick(e)}>
          {e}
        </button>
      ))}
    </div>
  );
}
