import { chunkTexts, type Texts } from './chunk-texts.js';

/** What a visitor who is looking elsewhere notices of a new reply: a short beep and a blinking tab title. */

export const notifyTexts: Texts<'newMsg'> = {
  en: { newMsg: '({n}) New message|({n}) New messages' },
  ru: { newMsg: '({n}) Новое сообщение|({n}) Новых сообщения|({n}) Новых сообщений' },
};
const nt = chunkTexts(notifyTexts);
/** The title's alert: "(2) New messages", in the visitor's language. */
export const newMessages = (n: number): string => nt('newMsg', { n });

let audio: AudioContext | undefined;

/** A 0.3 s tone made with WebAudio (no file to download). Silent until the page had a user gesture (autoplay rules). */
export function beep(): void {
  try {
    if (!navigator.userActivation?.hasBeenActive) return;
    audio ??= new AudioContext();
    void audio.resume();
    const now = audio.currentTime;
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, now);
    gain.gain.exponentialRampToValueAtTime(0.001, now + 0.3);
    tone.connect(gain).connect(audio.destination);
    tone.start(now);
    tone.stop(now + 0.3);
  } catch {
    // No WebAudio, or the browser refused: the title still blinks.
  }
}

type TitleDocument = Pick<Document, 'title' | 'hidden' | 'addEventListener' | 'removeEventListener'>;

/**
 * Alternates the page title between `label(count)` ("(2) New messages") and the page's own title
 * every second from the first call until the tab is visible again, then puts the title back
 * exactly as it was.
 */
export function titleBlinker(doc: TitleDocument, label: (count: number) => string) {
  let count = 0;
  let original = '';
  let timer: ReturnType<typeof setInterval> | undefined;
  let shown = false;
  const show = (on: boolean) => {
    shown = on;
    doc.title = on ? label(count) : original;
  };
  const visible = () => {
    if (doc.hidden || !timer) return;
    clearInterval(timer);
    timer = undefined;
    count = 0;
    show(false);
    doc.removeEventListener('visibilitychange', visible);
  };
  /** `added` more replies arrived while the tab is hidden. */
  return (added: number): void => {
    count += added;
    if (!timer) {
      original = doc.title;
      doc.addEventListener('visibilitychange', visible);
      timer = setInterval(() => show(!shown), 1000);
    }
    show(true);
  };
}
