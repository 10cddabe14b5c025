import { createRequire } from 'node:module';

/**
 * The pattern lists of email-reply-parser: "On … wrote:" in a dozen languages and the usual
 * sign-offs. Its parser rewrites the text (reversed lines, trimmed, joined headers), so offsets
 * cannot be mapped back from its fragments: we run its patterns over our own lines instead.
 */
interface ReplyParserRegexes {
  answerHeadersRegex: RegExp[];
  signatureRegex: RegExp[];
}
const require = createRequire(import.meta.url);
const replyParser = require('email-reply-parser/lib/regex.js') as ReplyParserRegexes;

/** Longest line the patterns are run on: attribution lines are short, and this keeps regexes linear. */
const MAX_HEADER_LINE = 400;
/** A sign-off ("Best regards,") folds only when the strong marker follows within this many lines. */
const MAX_SIGN_OFF_LINES = 7;

/** Attribution lines the library misses or gets only on one line. Tested on a line, or two lines joined by a space. */
const ATTRIBUTION: RegExp[] = [
  // Gmail, Apple Mail, Thunderbird: "On <date>, <name> wrote:" (and the same in other languages).
  /^(?:On|Am|Le|El|Il|Em|Op|Den|Dne|W dniu|Dnia)\s.{3,}?\s(?:wrote|writes|a écrit|schrieb|escribió|ha scritto|scrisse|escreveu|schreef|skrev|napsal|napisał|napisała|pisze)\s*:\s*$/iu,
  // Russian clients: "<date>, <name> пишет:" / "… написал(а):"; a digit or an address keeps ordinary prose out.
  /^(?=.*[\d@]).{3,}?(?:^|\s)(?:пишет|писал|писала|написал|написала|написал\(а\)|написали|пишут)\s*:\s*$/iu,
  // The Bat!: "Вы писали 5 марта 2025 г., 10:15:".
  /^(?:вы писали|you wrote)\s.*\d.*:\s*$/iu,
  // Gmail in Russian, Mail.ru, Yandex, old Gmail: "<date …> <name> <address>:".
  /^(?=.*\d).{0,300}<[^<>\s@]+@[^<>\s]+>\s*:\s*$/u,
];

/** Separator lines that open quoted or forwarded history. */
const SEPARATOR: RegExp[] = [
  /^-{2,}\s*(?:original message|forwarded message|weitergeleitete nachricht|ursprüngliche nachricht|message d'origine|message transféré|mensaje original|messaggio originale|исходное сообщение|пересылаемое сообщение|пересланное сообщение)\s*-{2,}\s*$/iu,
  /^(?:begin forwarded message|начало переадресованного сообщения|начало пересылаемого сообщения)\s*:\s*$/iu,
];

/** Outlook's header block: "From: …" followed within a few lines by "Sent:" and "To:"/"Subject:". */
const BLOCK_FROM = /^\s*\*?(?:From|От|Von|De|Da|Van|Od|Från|Fra|Lähettäjä)\s*:\*?\s*\S/iu;
const BLOCK_SENT = /^\s*\*?(?:Sent|Date|Отправлено|Дата|Gesendet|Datum|Envoyé|Enviado|Fecha|Inviato|Data|Verzonden|Skickat|Sendt)\s*:\*?/iu;
const BLOCK_TO_SUBJECT = /^\s*\*?(?:To|Subject|Кому|Тема|An|Betreff|À|Objet|Para|Asunto|A|Oggetto|Aan|Onderwerp|Till|Ämne|Til|Emne)\s*:\*?/iu;
/** Outlook puts a line of underscores above the block. */
const UNDERSCORES = /^_{10,}\s*$/;

/** Sign-offs the library does not know. */
const SIGN_OFF: RegExp[] = [
  /^(?:с уважением|с наилучшими пожеланиями|всего (?:доброго|хорошего)|mit freundlichen grüßen|viele grüße|beste grüße|liebe grüße|freundliche grüße|cordialement|saludos|un saluto)[,.!]?\s*$/iu,
  /^(?:отправлено|послано) (?:с|из|через) .{1,60}$/iu,
];

interface Line {
  start: number;
  text: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    lines.push({ start, text: text.slice(start, end).replace(/\r$/, '') });
    if (nl === -1) return lines;
    start = nl + 1;
  }
}

const isQuoted = (line: string): boolean => /^\s*>/.test(line);
const isBlank = (line: string): boolean => line.trim() === '';
const isSigDelimiter = (line: string): boolean => /^--\s?$/.test(line);

function libraryHeaderAt(lines: Line[], i: number): boolean {
  const line = lines[i]?.text ?? '';
  const next = lines[i + 1]?.text ?? '';
  if (line.length > MAX_HEADER_LINE) return false;
  const windows = next.length > MAX_HEADER_LINE || isBlank(next) ? [line] : [`${line}\n${next}`, line];
  return replyParser.answerHeadersRegex.some((re) =>
    windows.some((w) => {
      const m = re.exec(w);
      return m !== null && m.index === 0;
    }),
  );
}

function attributionText(text: string): boolean {
  const t = text.trim();
  return t.length > 0 && t.length <= MAX_HEADER_LINE && (ATTRIBUTION.some((re) => re.test(t)) || SEPARATOR.some((re) => re.test(t)));
}

function outlookBlockAt(lines: Line[], i: number): boolean {
  if (!BLOCK_FROM.test(lines[i]?.text ?? '')) return false;
  let sent = false;
  let toOrSubject = false;
  for (let j = i + 1; j < Math.min(lines.length, i + 7); j++) {
    const t = lines[j]?.text ?? '';
    if (BLOCK_SENT.test(t)) sent = true;
    else if (BLOCK_TO_SUBJECT.test(t)) toOrSubject = true;
  }
  return sent && toOrSubject;
}

/** Whether the attribution / history header starts on line i (possibly wrapped onto line i+1). */
function headerAt(lines: Line[], i: number): boolean {
  const line = lines[i]?.text ?? '';
  if (isBlank(line) || isQuoted(line)) return false;
  if (UNDERSCORES.test(line)) return outlookBlockAt(lines, i + 1);
  if (outlookBlockAt(lines, i) || libraryHeaderAt(lines, i) || attributionText(line)) return true;
  // Wrapped over two lines ("… <support@shop.example>" / "wrote:"). When the next line is a
  // header of its own, it starts there, unless this line holds the date the next one lacks.
  const next = lines[i + 1]?.text ?? '';
  if (line.trimEnd().endsWith(':') || isBlank(next) || isQuoted(next)) return false;
  if (!attributionText(`${line.trim()} ${next.trim()}`)) return false;
  const nextAlone = libraryHeaderAt(lines, i + 1) || attributionText(next);
  return !nextAlone || (/\d/.test(line) && !/\d/.test(next));
}

/** A header followed by ">" lines and then unquoted text again is an inline (interleaved) reply. */
function interleavedAfter(lines: Line[], h: number): boolean {
  let seenQuote = false;
  for (let j = h + 1; j < lines.length; j++) {
    const t = lines[j]?.text ?? '';
    if (isSigDelimiter(t)) return false;
    if (isQuoted(t)) seenQuote = true;
    else if (seenQuote && !isBlank(t)) return true;
  }
  return false;
}

/** Start of the block of ">" lines that ends the text, if it ends with one. */
function trailingQuoteBlock(lines: Line[]): number | undefined {
  let i = lines.length - 1;
  while (i >= 0 && isBlank(lines[i]?.text ?? '')) i--;
  if (i < 0 || !isQuoted(lines[i]?.text ?? '')) return undefined;
  let start = i;
  for (let j = i; j >= 0; j--) {
    const t = lines[j]?.text ?? '';
    if (isQuoted(t)) start = j;
    else if (!isBlank(t)) break;
  }
  return start;
}

function signOffAt(line: string): boolean {
  const t = line.trim();
  if (!t || t.length > 60 || isQuoted(t)) return false;
  return replyParser.signatureRegex.some((re) => re.test(t)) || SIGN_OFF.some((re) => re.test(t));
}

/**
 * Where the quoted history and/or the signature of a reply begin in `text`, so that the console
 * can fold them; `text.slice(0, offset).trimEnd()` is what the sender newly wrote. Undefined when
 * nothing is quoted, or when the quote starts the text (a forward with nothing added).
 */
export function findQuoteStart(text: string): number | undefined {
  const lines = splitLines(text);
  let cut: number | undefined;

  for (let i = 0; i < lines.length && cut === undefined; i++) {
    const line = lines[i]?.text ?? '';
    if (isSigDelimiter(line)) cut = i;
    else if (headerAt(lines, i) && !interleavedAfter(lines, i)) cut = i;
  }
  const trailing = trailingQuoteBlock(lines);
  if (trailing !== undefined && (cut === undefined || trailing < cut)) cut = trailing;
  if (cut === undefined) return undefined;

  // A sign-off just above the history ("Best regards,\nJohn Smith\n…") folds with it.
  let nonBlank = 0;
  for (let j = cut - 1; j >= 0; j--) {
    const t = lines[j]?.text ?? '';
    if (isBlank(t)) continue;
    if (isQuoted(t) || ++nonBlank > MAX_SIGN_OFF_LINES) break;
    if (signOffAt(t)) cut = j;
  }

  const offset = lines[cut]?.start ?? 0;
  return text.slice(0, offset).trim() === '' ? undefined : offset;
}
