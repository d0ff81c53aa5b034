// Page weight of portal views: the bytes a first load transfers (a fresh browser profile, so
// nothing cached), as Chromium's network events count them (headers included), and the time
// until the view is drawn. Debian's chromium through tests/browser's playwright-core.
// Usage: node bench/portal/weight.mjs <base url> [#/view ...]   (default: #/ppwp)
import { launch, waitView } from '../../tests/browser/lib.mjs';

const [base, ...views] = process.argv.slice(2);
if (!base) {
  console.error('usage: node bench/portal/weight.mjs <base url> [#/view ...]');
  process.exit(2);
}
for (const view of views.length ? views : ['#/ppwp']) {
  const browser = await launch();
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map();
  const sizes = [];
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url.replace(base, '')));
  cdp.on('Network.loadingFinished', (e) => sizes.push([urls.get(e.requestId), e.encodedDataLength]));
  const started = Date.now();
  await page.goto(`${base}/${view}`);
  await waitView(page);
  const drawn = Date.now() - started;
  await page.waitForLoadState('networkidle');
  const total = sizes.reduce((s, [, n]) => s + n, 0);
  const largest = sizes.sort((a, b) => b[1] - a[1]).slice(0, 3).map(([u, n]) => `${u} ${n}`);
  console.log(`${view}\t${total} bytes\t${sizes.length} requests\tdrawn in ${drawn} ms\tlargest: ${largest.join(', ')}`);
  await browser.close();
}
