// pa11y-ci (bench/audit.py's comparison) brings puppeteer, which would download its own Chrome
// on `npm ci`. Nothing here may download a browser: the bench points pa11y-ci at Debian's
// Chromium (/usr/bin/chromium) instead.
module.exports = {
  skipDownload: true,
};
