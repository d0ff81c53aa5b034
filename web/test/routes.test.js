// Every view has a URL, and the URLs the portal makes lead back to the same view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dapilHref, parse, regionHref, tpsHref } from '../src/routes.js';

test('region, TPS and dapil URLs round-trip', () => {
  assert.equal(regionHref('ppwp', ''), '#/ppwp');
  assert.equal(regionHref('ppwp', '3171'), '#/ppwp/31/3171');
  assert.deepEqual(parse(regionHref('pdpr', '1101012001')), { view: 'region', ballot: 'pdpr', code: '1101012001' });
  assert.deepEqual(parse(tpsHref('1101012001001', 'pdpd')), { view: 'tps', ballot: 'pdpd', code: '1101012001001' });
  assert.deepEqual(parse(tpsHref('1101012001001')), { view: 'tps', ballot: null, code: '1101012001001' });
  assert.deepEqual(parse(dapilHref('pdprdk', 'pdprdk-1101-1')), { view: 'dapil', ballot: 'pdprdk', id: 'pdprdk-1101-1' });
});

test('the start page is the national presidential view; nonsense is not found', () => {
  assert.deepEqual(parse(''), { view: 'region', ballot: 'ppwp', code: '' });
  assert.deepEqual(parse('#/'), { view: 'region', ballot: 'ppwp', code: '' });
  assert.equal(parse('#/dpr/11').view, 'notfound');
  assert.equal(parse('#/ppwp/123').view, 'notfound');
  assert.equal(parse('#/ppwp/abc').view, 'notfound');
});
