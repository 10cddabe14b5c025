// whatsapp-web.js depends on puppeteer; its own browser download cannot work offline and is
// not needed: Switchboard drives Debian's Chromium (/usr/bin/chromium).
module.exports = { skipDownload: true };
