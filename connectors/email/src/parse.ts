import { simpleParser, type Attachment, type ParsedMail as MailparserMail, type SimpleParserOptions } from 'mailparser';
import addressparser from 'nodemailer/lib/addressparser/index.js';
import { classifyNoise } from './classify.js';
import { findQuoteStart } from './quote.js';
import type { Address, MailFile, ParsedMail } from './types.js';

const PARSER_OPTIONS: SimpleParserOptions = {
  // html as sent: cid: links stay, plain text parts are not turned into html.
  keepCidLinks: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  // DSN reports and forwarded messages are files of their own, not text spliced into the body.
  keepDeliveryStatus: true,
  ignoreEmbedded: true,
  // Hashes are not used; MD5 is missing on FIPS hosts.
  checksumAlgo: false,
  // HTML this long gets no derived text (the html itself is kept): the converter is slow on it.
  maxHtmlLengthToParse: 4 * 1024 * 1024,
};

/** The header block is looked for in this many first bytes (mailparser's own limit is 1 MB). */
const MAX_HEAD_BYTES = 1024 * 1024;

/** Map charset labels TextDecoder does not know to ones it does. */
const CHARSET_ALIASES: Record<string, string> = {
  cp936: 'gbk',
  'win-1251': 'windows-1251',
  'cp-1251': 'windows-1251',
  'win-1252': 'windows-1252',
  ascii: 'us-ascii',
};

function decoderFor(charset: string, fatal: boolean): TextDecoder | undefined {
  const label = charset.trim().replace(/^["']|["']$/g, '').toLowerCase();
  try {
    return new TextDecoder(CHARSET_ALIASES[label] ?? label, { fatal });
  } catch {
    return undefined;
  }
}

/** Bytes in a charset; undefined when the charset is unknown or (fatal) the bytes are not valid in it. */
function decodeBytes(bytes: Uint8Array, charset: string, fatal = true): string | undefined {
  try {
    return decoderFor(charset, fatal)?.decode(bytes);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// RFC 2047 encoded words

const ENCODED_WORD = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([BbQq])\?([^?\s]*)\?=/g;

function wordBytes(encoding: string, payload: string): Buffer | undefined {
  if (encoding === 'B' || encoding === 'b') {
    const bare = payload.replace(/=+$/, '');
    if (!/^[A-Za-z0-9+/]*$/.test(bare) || bare.length % 4 === 1) return undefined;
    return Buffer.from(bare, 'base64');
  }
  const bytes: number[] = [];
  for (let i = 0; i < payload.length; i++) {
    const c = payload[i] ?? '';
    if (c === '_') bytes.push(0x20);
    else if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(payload.slice(i + 1, i + 3))) {
      bytes.push(parseInt(payload.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes);
}

/** An encoded word's bytes; plain ASCII reads the same in any charset we do not know (but UTF-7). */
function decodeWord(bytes: Buffer, charset: string): string | undefined {
  if (!decoderFor(charset, true)) {
    return !/utf-?7/i.test(charset) && bytes.every((b) => b < 0x80) ? bytes.toString('latin1') : undefined;
  }
  return decodeBytes(bytes, charset);
}

/**
 * Decodes RFC 2047 encoded words. Adjacent words in one charset are joined before decoding (a
 * character may be split between them). A word in an unknown charset, with broken base64 or with
 * bytes its charset does not allow is kept as written rather than turned into replacement marks.
 */
export function decodeWords(value: string): string {
  interface Piece {
    raw: string;
    charset?: string;
    bytes?: Buffer;
    /** Decoded text of a word; '' for a word joined into the one before it. */
    text?: string;
  }
  const pieces: Piece[] = [];
  let last = 0;
  for (const m of value.matchAll(ENCODED_WORD)) {
    if (m.index > last) pieces.push({ raw: value.slice(last, m.index) });
    const [raw, charset = '', encoding = '', payload = ''] = m;
    const bytes = wordBytes(encoding, payload);
    pieces.push(bytes ? { raw, charset: charset.toLowerCase(), bytes } : { raw, charset: charset.toLowerCase() });
    last = m.index + raw.length;
  }
  if (last < value.length) pieces.push({ raw: value.slice(last) });

  const isWord = (p: Piece | undefined): boolean => p?.charset !== undefined;
  // Whitespace between two encoded words is not part of the text.
  const isGap = (i: number): boolean => {
    const p = pieces[i];
    return p !== undefined && !isWord(p) && /^\s+$/.test(p.raw) && isWord(pieces[i - 1]) && isWord(pieces[i + 1]);
  };

  for (let i = 0; i < pieces.length; i++) {
    const first = pieces[i];
    if (!first?.bytes || first.charset === undefined) continue;
    const run: Array<Piece & { bytes: Buffer }> = [{ ...first, bytes: first.bytes }];
    const members = [first];
    let j = i;
    for (;;) {
      const next = pieces[j + 2];
      if (!isGap(j + 1) || !next?.bytes || next.charset !== first.charset) break;
      run.push({ ...next, bytes: next.bytes });
      members.push(next);
      j += 2;
    }
    const joined = decodeWord(Buffer.concat(run.map((r) => r.bytes)), first.charset);
    if (joined !== undefined) members.forEach((m, k) => (m.text = k === 0 ? joined : ''));
    else for (const m of members) if (m.bytes && m.charset !== undefined) m.text = decodeWord(m.bytes, m.charset);
    i = j;
  }

  let out = '';
  pieces.forEach((p, i) => {
    if (isWord(p)) out += p.text ?? p.raw;
    else if (!(isGap(i) && pieces[i - 1]?.text !== undefined && pieces[i + 1]?.text !== undefined)) out += p.raw;
  });
  return out;
}

const hasEncodedWord = (s: string): boolean => /=\?[^?\s]+\?[BbQq]\?/.test(s);

/** Prefer our decoding; take mailparser's (iconv-lite) when ours kept raw words and theirs is clean. */
function bestDecoded(ours: string, theirs: string | undefined): string {
  if (theirs && hasEncodedWord(ours) && !theirs.includes('\uFFFD') && !hasEncodedWord(theirs)) return theirs;
  return ours;
}

// ---------------------------------------------------------------------------------------------
// The raw header block

interface RawHead {
  headers: Map<string, string[]>;
  /** Lines of the header block that are neither a header nor a continuation. */
  junk: string[];
  /** Whether the data starts with a header line at all (after an optional mbox "From " line). */
  startsWithHeader: boolean;
  bodyStart: number;
}

const HEADER_LINE = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:(.*)$/s;

function charsetParam(contentType: string | undefined): string | undefined {
  return contentType ? /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1] : undefined;
}

/**
 * Splits the header block off the raw bytes ourselves: it is there even when mailparser fails,
 * and 8-bit headers (raw UTF-8, or the body's charset as old clients write them) are decoded.
 */
function splitHead(raw: Buffer): RawHead {
  const probe = raw.subarray(0, MAX_HEAD_BYTES).toString('latin1');
  const blank = /\r?\n\r?\n/.exec(probe);
  const startsBlank = /^\r?\n/.test(probe);
  const headEnd = startsBlank ? 0 : blank ? blank.index : probe.length;
  const bodyStart = startsBlank ? (probe.startsWith('\r\n') ? 2 : 1) : blank ? blank.index + blank[0].length : probe.length;
  const headBytes = raw.subarray(0, headEnd);

  const latin1Lines = unfold(headBytes.toString('latin1').split(/\r?\n/));
  const bodyCharset = charsetParam(latin1Lines.find((l) => /^content-type\s*:/i.test(l)));
  const text =
    decodeBytes(headBytes, 'utf-8') ?? (bodyCharset ? decodeBytes(headBytes, bodyCharset, false) : undefined) ?? headBytes.toString('latin1');

  const headers = new Map<string, string[]>();
  const junk: string[] = [];
  const lines = text.split(/\r?\n/);
  if (/^From \S/.test(lines[0] ?? '')) lines.shift();
  const startsWithHeader = lines.length > 0 && HEADER_LINE.test(lines[0] ?? '') && !(lines[0] ?? '').includes('\0');
  for (const line of unfold(lines, junk)) {
    const m = HEADER_LINE.exec(line);
    if (!m || line.includes('\0')) {
      if (line.trim()) junk.push(line);
      continue;
    }
    const name = (m[1] ?? '').toLowerCase();
    const list = headers.get(name) ?? [];
    list.push((m[2] ?? '').trim());
    headers.set(name, list);
  }
  return { headers, junk, startsWithHeader, bodyStart };
}

/** Joins folded lines (RFC 5322 unfolding: the line break goes, the whitespace stays). */
function unfold(lines: string[], junk?: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      if (out.length) out[out.length - 1] += line;
      else if (line.trim()) junk?.push(line);
    } else out.push(line);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Ids, addresses, date

/** Drops (comments), minding quoted strings and <ids>. */
function stripComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] ?? '';
    if (c === '\\' && (quoted || depth > 0)) {
      if (depth === 0) out += c + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (depth === 0 && !angle && c === '"') quoted = !quoted;
    else if (!quoted && depth === 0 && c === '<') angle = true;
    else if (!quoted && depth === 0 && c === '>') angle = false;
    else if (!quoted && !angle && c === '(') {
      depth++;
      continue;
    } else if (!quoted && !angle && c === ')' && depth > 0) {
      depth--;
      continue;
    }
    if (depth === 0) out += c;
  }
  return out;
}

/**
 * Message-IDs in a Message-ID / In-Reply-To / References value, without angle brackets: ids in
 * <…> and bare id@host tokens, separated by whitespace or commas, comments and junk skipped.
 */
export function extractIds(value: string): string[] {
  const ids: string[] = [];
  for (const m of stripComments(value).matchAll(/<([^<>]*)>|([^\s,;<>()"]+@[^\s,;<>()"]+)/g)) {
    const id = (m[1] ?? m[2] ?? '').replace(/\s+/g, '');
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

function messageIdOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const [id] = extractIds(value);
  if (id) return id;
  const bare = value.trim().replace(/^<|>$/g, '').trim();
  return bare && !/\s/.test(bare) ? bare : undefined;
}

function parseAddresses(values: string[] | undefined): Address[] {
  const out: Address[] = [];
  for (const value of values ?? []) {
    let parsed: Array<{ name: string; address: string }>;
    try {
      parsed = addressparser(value, { flatten: true });
    } catch {
      continue;
    }
    for (const entry of parsed) {
      const address = (entry.address ?? '').trim().toLowerCase();
      if (!address || /[\s<>]/.test(address)) continue;
      const name = decodeWords(entry.name ?? '').trim();
      out.push(name ? { name, address } : { address });
    }
  }
  return out;
}

/** Display names as mailparser decoded them, by lower-cased address. */
function mailparserNames(mail: MailparserMail | undefined): Map<string, string> {
  const names = new Map<string, string>();
  const objects = [mail?.from, mail?.replyTo, mail?.to, mail?.cc].flatMap((o) => (o === undefined ? [] : Array.isArray(o) ? o : [o]));
  const visit = (list: Array<{ name: string; address?: string; group?: unknown[] }>): void => {
    for (const e of list) {
      if (e.address && e.name) names.set(e.address.toLowerCase(), e.name);
      if (Array.isArray(e.group)) visit(e.group as typeof list);
    }
  };
  for (const o of objects) visit(o.value);
  return names;
}

function withBestNames(addresses: Address[], names: Map<string, string>): Address[] {
  return addresses.map((a) => {
    if (!a.name) return a;
    const name = bestDecoded(a.name, names.get(a.address));
    return name === a.name ? a : { ...a, name };
  });
}

function parseDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(stripComments(value).replace(/\s+/g, ' ').trim());
  return Number.isNaN(date.getTime()) ? undefined : date;
}

// ---------------------------------------------------------------------------------------------
// Files

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'image/bmp': 'bmp',
  'image/tiff': 'tif',
  'image/heic': 'heic',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/msword': 'doc',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/ms-tnef': 'dat',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/csv': 'csv',
  'text/calendar': 'ics',
  'text/rfc822-headers': 'txt',
  'message/rfc822': 'eml',
  'message/global': 'eml',
  'message/delivery-status': 'txt',
  'message/global-delivery-status': 'txt',
  'message/disposition-notification': 'txt',
  'audio/mpeg': 'mp3',
  'video/mp4': 'mp4',
};

/** The file name without any path, control characters or surrounding space. */
function cleanFilename(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\x00-\x1f\x7f]/g, '').trim();
  return clean && clean !== '.' && clean !== '..' ? clean.slice(0, 255) : undefined;
}

function defaultFilename(mime: string, content: Buffer, counters: Map<string, number>): string {
  const ext = EXTENSIONS[mime] ?? 'bin';
  if (mime === 'message/rfc822' || mime === 'message/global') {
    // A forwarded message is best named by its subject.
    const subject = decodeWords(splitHead(content).headers.get('subject')?.[0] ?? '');
    const name = cleanFilename(subject.replace(/[<>:"/\\|?*]+/g, '_').slice(0, 120));
    if (name) return `${name}.eml`;
  }
  const prefix = mime.startsWith('image/')
    ? 'image'
    : mime === 'message/rfc822' || mime === 'message/global'
      ? 'message'
      : mime.endsWith('delivery-status')
        ? 'delivery-status'
        : mime === 'text/rfc822-headers'
          ? 'headers'
          : 'attachment';
  const n = (counters.get(prefix) ?? 0) + 1;
  counters.set(prefix, n);
  return `${prefix}-${n}.${ext}`;
}

function referencesCid(html: string | undefined, cid: string): boolean {
  if (!html) return false;
  const lower = html.toLowerCase();
  return lower.includes(`cid:${cid.toLowerCase()}`) || lower.includes(`cid:${encodeURIComponent(cid).toLowerCase()}`);
}

function toFiles(attachments: Attachment[], html: string | undefined): MailFile[] {
  const counters = new Map<string, number>();
  return attachments.map((a) => {
    const mime = (a.contentType || 'application/octet-stream').toLowerCase();
    const content = a.content;
    const contentId = a.cid?.trim() || undefined;
    const file: MailFile = {
      filename: cleanFilename(a.filename) ?? defaultFilename(mime, content, counters),
      mime,
      size: content.length,
      inline: contentId !== undefined && referencesCid(html, contentId),
      content,
    };
    if (contentId !== undefined) file.contentId = contentId;
    return file;
  });
}

// ---------------------------------------------------------------------------------------------
// Damage

/**
 * A top-level multipart whose closing delimiter never comes: the mail was cut off. Only the top
 * level counts: a DSN may quote a cut-off copy of the original, and that is not our damage.
 */
function truncation(rawText: string, topContentType: string | undefined): string | undefined {
  if (!topContentType || !/^\s*multipart\//i.test(topContentType)) return undefined;
  const param = /boundary\s*=\s*(?:"([^"]+)"|([^\s;"]+))/i.exec(topContentType);
  const b = param?.[1] ?? param?.[2];
  if (!b) return 'The multipart body cannot be split: its Content-Type has no boundary.';
  if (!rawText.startsWith(`--${b}`) && !rawText.includes(`\n--${b}`)) return 'The mail is truncated: its multipart body has no parts.';
  if (!rawText.includes(`--${b}--`)) return `The mail is truncated: the closing boundary "--${b}--" never comes.`;
  return undefined;
}

function qpDecode(text: string): Buffer {
  const bytes: number[] = [];
  const s = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c & 0xff);
  }
  return Buffer.from(bytes);
}

/**
 * The body as text when mailparser could not give it: transfer encoding and charset undone for a
 * single part, UTF-8 otherwise. Binary data is not text: mostly unprintable bytes give "".
 */
function bestEffortText(raw: Buffer, bodyStart: number, headers: Map<string, string[]>): string {
  const body = raw.subarray(bodyStart);
  const contentType = headers.get('content-type')?.[0] ?? '';
  let bytes: Buffer = body;
  if (!/^\s*multipart\//i.test(contentType)) {
    const cte = (headers.get('content-transfer-encoding')?.[0] ?? '').trim().toLowerCase();
    if (cte === 'base64') bytes = Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
    else if (cte === 'quoted-printable') bytes = qpDecode(body.toString('latin1'));
  }
  const charset = charsetParam(contentType) ?? 'utf-8';
  const text = decodeBytes(bytes, charset, false) ?? decodeBytes(bytes, 'utf-8', false) ?? '';
  if (!text) return '';
  const unreadable = text.match(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\uFFFD]/g)?.length ?? 0;
  if (unreadable / text.length > 0.1) return '';
  return text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\uFFFD]/g, '').replace(/\r\n/g, '\n');
}

/** Plain text of an HTML body, by mailparser's own converter (html-to-text). */
async function textOfHtml(html: string): Promise<string> {
  try {
    const mail = await simpleParser(Buffer.from(`Content-Type: text/html; charset=utf-8\r\n\r\n${html}`, 'utf8'), PARSER_OPTIONS);
    return mail.text ?? '';
  } catch {
    return '';
  }
}

function shortMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.length > 200 ? `${message.slice(0, 199)}…` : message;
}

// ---------------------------------------------------------------------------------------------

/**
 * Reads a mail from its raw RFC 822 bytes. Never throws and never loses a mail: what cannot be
 * read is reported in `parseError` (the caller keeps the raw .eml), and whatever could be read
 * — headers, subject, sender, some text — is returned all the same.
 */
export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  try {
    return await parse(raw);
  } catch (err) {
    // Last resort: a bug of ours must not lose the mail either.
    let text = '';
    try {
      text = bestEffortText(raw, 0, new Map());
    } catch {
      text = '';
    }
    return {
      inReplyTo: [],
      references: [],
      subject: '',
      to: [],
      cc: [],
      text,
      files: [],
      headers: new Map(),
      parseError: `The mail could not be read: ${shortMessage(err)}`,
    };
  }
}

async function parse(raw: Buffer): Promise<ParsedMail> {
  const errors: string[] = [];
  const head = splitHead(raw);
  const { headers } = head;

  let mail: MailparserMail | undefined;
  try {
    mail = await simpleParser(raw, PARSER_OPTIONS);
  } catch (err) {
    errors.push(`The MIME structure could not be read (${shortMessage(err)}).`);
  }

  if (!head.startsWithHeader) errors.push('Not a mail: the data does not start with a header block.');
  else if (head.junk.length) {
    const sample = (head.junk[0] ?? '').replace(/[^\x20-\x7e\u00a0-\uffff]/g, '?').slice(0, 60);
    errors.push(`The header block has ${head.junk.length} malformed line${head.junk.length === 1 ? '' : 's'}, e.g. "${sample}".`);
  }
  const contentType = headers.get('content-type')?.[0];
  const cut = head.startsWithHeader ? truncation(raw.toString('latin1'), contentType) : undefined;
  if (cut) errors.push(cut);

  const names = mailparserNames(mail);
  const from = withBestNames(parseAddresses(headers.get('from')), names)[0];
  const replyTo = withBestNames(parseAddresses(headers.get('reply-to')), names)[0];
  const subjectHeader = headers.get('subject')?.[0];
  const subject = subjectHeader === undefined ? '' : bestDecoded(decodeWords(subjectHeader), mail?.subject).replace(/\s+/g, ' ').trim();

  const html = typeof mail?.html === 'string' ? mail.html : undefined;
  let text = mail?.text ?? '';
  if (!text.trim() && html) text = await textOfHtml(html);
  if (!text.trim() && (!mail || !head.startsWithHeader)) text = bestEffortText(raw, head.startsWithHeader ? head.bodyStart : 0, headers);

  const files = toFiles(mail?.attachments ?? [], html);

  const parsed: ParsedMail = {
    inReplyTo: (headers.get('in-reply-to') ?? []).flatMap(extractIds),
    references: [...new Set((headers.get('references') ?? []).flatMap(extractIds))],
    subject,
    to: withBestNames(parseAddresses(headers.get('to')), names),
    cc: withBestNames(parseAddresses(headers.get('cc')), names),
    text,
    files,
    headers,
  };
  const messageId = messageIdOf(headers.get('message-id')?.[0]);
  if (messageId) parsed.messageId = messageId;
  if (from) parsed.from = from;
  if (replyTo) parsed.replyTo = replyTo;
  const date = parseDate(headers.get('date')?.[0]);
  if (date) parsed.date = date;
  if (html !== undefined) parsed.html = html;

  const noise = classifyNoise({ headers, subject, files, ...(from ? { from } : {}), ...(contentType ? { contentType } : {}) });
  if (noise) parsed.noise = noise;
  const quoteStart = findQuoteStart(text);
  if (quoteStart !== undefined) parsed.quoteStart = quoteStart;
  if (errors.length) parsed.parseError = errors.join(' ');
  return parsed;
}
