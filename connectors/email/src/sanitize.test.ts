import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sanitizeHtml } from '@switchboard/http';
import { parseMail } from './parse.js';
import { emailHtmlForStorage } from './sanitize.js';

const none = new Map<string, string>();
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

describe('emailHtmlForStorage', () => {
  it('points cid: images at their stored blobs, the ref URL-encoded', () => {
    const inline = new Map([['logo@shop', 'blob:t1/ab c']]);
    const out = emailHtmlForStorage('<p><img src="cid:logo@shop" alt="Logo" width="120" height="60"></p>', inline);
    expect(out).toBe('<p><img src="/api/v1/blobs/blob%3At1%2Fab%20c" alt="Logo" width="120" height="60" /></p>');
    // Percent-encoded cid URLs (RFC 2392) and other letter case find the same part.
    expect(emailHtmlForStorage('<img src="cid:LOGO%40shop">', inline)).toContain('src="/api/v1/blobs/blob%3At1%2Fab%20c"');
  });

  it('turns remote images and unknown cids into their alt text: nothing loads, tracking pixels vanish', () => {
    const out = emailHtmlForStorage(
      '<p>Hi<img src="https://tracker.example/open.gif?u=1" width="1" height="1" alt="">' +
        '<img src="http://cdn.example/beans.jpg" alt="Fresh beans"><img src="//cdn.example/x.png" alt="x">' +
        '<img src="cid:missing" alt="Missing part"></p>',
      none,
    );
    expect(out).toBe('<p>Hi<span>Fresh beans</span><span>x</span><span>Missing part</span></p>');
  });

  it('keeps raster data: images, drops svg, javascript: and other sources', () => {
    expect(emailHtmlForStorage(`<img src="${PNG}" alt="dot">`, none)).toBe(`<img src="${PNG}" alt="dot" />`);
    const out = emailHtmlForStorage(
      '<img src="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0Pjwvc2NyaXB0Pjwvc3ZnPg==" alt="svg">' +
        '<img src="data:text/html;base64,PHNjcmlwdD4=" alt="html"><img src="javascript:alert(1)" alt="js"><img src="/etc/passwd" alt="path">' +
        '<img src="/api/v1/blobs/../admin" alt="up">',
      none,
    );
    expect(out).not.toContain('<img');
    expect(out).toBe('<span>svg</span><span>html</span><span>js</span><span>path</span><span>up</span>');
  });

  it('strips scripts, style blocks, handlers, iframes, forms, objects, base and meta refresh', () => {
    const out = emailHtmlForStorage(
      '<html><head><meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/"><title>T</title>' +
        '<style>p{color:red}</style><script>alert(1)</script></head><body onload="x()">' +
        '<p onclick="steal()" style="color:red" class="x">Text</p><iframe src="https://evil.example">fallback</iframe>' +
        '<form action="https://evil.example"><input name="q"><button>Send</button></form>' +
        '<object data="x.swf"></object><embed src="x.swf"><svg><script>alert(2)</script></svg></body></html>',
      none,
    );
    expect(out).toBe('<p>Text</p>Send');
  });

  it('keeps the formatting that matters in mail', () => {
    const html =
      '<h1>Title</h1><p>A <b>b</b> <i>i</i> <u>u</u> <strong>s</strong> <em>e</em><br>line</p><div><span>d</span></div>' +
      '<ul><li>one</li></ul><ol><li>two</li></ol><blockquote>quoted history</blockquote><pre><code>code()</code></pre><hr>' +
      '<table><thead><tr><th colspan="2">h</th></tr></thead><tbody><tr><td rowspan="2">c</td><td>d</td></tr></tbody></table>';
    expect(emailHtmlForStorage(html, none)).toBe(html.replace('<br>', '<br />').replace('<hr>', '<hr />'));
  });

  it('keeps http(s), mailto and tel links, opening in a new tab without an opener', () => {
    const out = emailHtmlForStorage(
      '<a href="https://shop.example/o/1" target="_self" onclick="x()">order</a><a href="mailto:a@example.com">mail</a>' +
        '<a href="tel:+4930123">call</a><a href="javascript:alert(1)">bad</a><a href="data:text/html,x">data</a>',
      none,
    );
    expect(out).toBe(
      '<a href="https://shop.example/o/1" target="_blank" rel="noopener noreferrer nofollow">order</a>' +
        '<a href="mailto:a@example.com" rel="noopener noreferrer nofollow" target="_blank">mail</a>' +
        '<a href="tel:+4930123" rel="noopener noreferrer nofollow" target="_blank">call</a>' +
        '<a rel="noopener noreferrer nofollow" target="_blank">bad</a><a rel="noopener noreferrer nofollow" target="_blank">data</a>',
    );
  });

  it('drops width and height that are not a number or a percentage', () => {
    expect(emailHtmlForStorage(`<img src="${PNG}" width="100%" height="expression(alert(1))">`, none)).toBe(`<img src="${PNG}" width="100%" />`);
  });

  it('stores the corpus HTML so that the view-time sanitizer keeps it as it is', async () => {
    for (const name of ['gmail-reply.eml', 'outlook-reply.eml', 'apple-mail-inline-image.eml', 'newsletter-html-only.eml', 'yandex-reply.eml', 'exchange-ndr.eml']) {
      const mail = await parseMail(readFileSync(new URL(`../test/fixtures/eml/${name}`, import.meta.url)));
      const inline = new Map(mail.files.filter((f) => f.contentId).map((f, i) => [f.contentId ?? '', `blob:${i + 1}`]));
      const stored = emailHtmlForStorage(mail.html ?? '', inline);
      expect(sanitizeHtml(stored), name).toBe(stored);
      expect(stored, name).not.toMatch(/<script|<style|<iframe|<form|<base|<meta|on\w+=|javascript:|cid:/i);
    }
  });

  it('the newsletter: logo from its blob, no tracker, the beans photo as its alt text', async () => {
    const mail = await parseMail(readFileSync(new URL('../test/fixtures/eml/newsletter-html-only.eml', import.meta.url)));
    const stored = emailHtmlForStorage(mail.html ?? '', new Map([['logo.coffee-weekly', 'blob:logo']]));
    expect(stored).toContain('<img src="/api/v1/blobs/blob%3Alogo" alt="Coffee Weekly" width="120" height="60" />');
    expect(stored).not.toContain('list-manage.com/track/open');
    expect(stored).not.toContain('cdn.coffee-weekly.example');
    expect(stored).toContain('<span>Ethiopia Yirgacheffe</span>');
    expect(stored).toContain('<h1>This week: new beans from Ethiopia</h1>');
    expect(stored).toContain('<td colspan="2">');
    expect(stored).not.toContain('Coffee Weekly</title>');
  });

  it('the Gmail reply keeps its quoted history in a blockquote', async () => {
    const mail = await parseMail(readFileSync(new URL('../test/fixtures/eml/gmail-reply.eml', import.meta.url)));
    const stored = emailHtmlForStorage(mail.html ?? '', none);
    expect(stored).toMatch(/<blockquote><div>Hello Anna,<br \/>/);
  });
});
