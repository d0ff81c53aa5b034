// The one translation engine (src/i18n/engine.js) and the two string tables it serves: the
// portal's (src/i18n/portal.js) and the officer page's (src/i18n/officer.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createI18n, fill } from '../src/i18n/engine.js';
import { strings as portal } from '../src/i18n/portal.js';
import { strings as officer } from '../src/i18n/officer.js';

// A localStorage stand-in.
function memory(init = {}) {
  const m = new Map(Object.entries(init));
  return {
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => m.set(k, String(v)),
    map: m,
  };
}

const table = {
  id: { hello: 'Halo {name}', two: '{a} dari {b}', only_id: 'hanya Indonesia' },
  en: { hello: 'Hello {name}', two: '{a} of {b}' },
};

test('placeholders are filled from the values given', () => {
  const { t } = createI18n({ strings: table, storageKey: 'k', storage: memory() });
  assert.equal(t('hello', { name: 'Budi' }), 'Halo Budi');
  assert.equal(t('two', { a: 0, b: 12 }), '0 dari 12');
  assert.equal(t('two', { a: '', b: false }), ' dari false');
});

test('a missing placeholder value leaves {name} in the text and never throws', () => {
  const { t } = createI18n({ strings: table, storageKey: 'k', storage: memory() });
  assert.equal(t('hello'), 'Halo {name}');
  assert.equal(t('hello', {}), 'Halo {name}');
  assert.equal(t('hello', null), 'Halo {name}');
  assert.equal(t('hello', { name: undefined }), 'Halo {name}');
  assert.equal(t('hello', { name: null }), 'Halo {name}');
  assert.equal(t('hello', { other: 'x' }), 'Halo {name}');
  assert.equal(t('two', { a: 3 }), '3 dari {b}');
  // Only the values' own members count, not what every object inherits.
  assert.equal(fill('{toString} {constructor}', {}), '{toString} {constructor}');
  assert.equal(fill('{v}', { v: Object.create(null) }), '{v}');
  assert.equal(fill('no placeholders', { a: 1 }), 'no placeholders');
});

test('a missing key falls back to Indonesian, then to the key itself', () => {
  const { t, setLang } = createI18n({ strings: table, storageKey: 'k', storage: memory() });
  setLang('en');
  assert.equal(t('hello', { name: 'Budi' }), 'Hello Budi');
  assert.equal(t('only_id'), 'hanya Indonesia');
  assert.equal(t('nowhere'), 'nowhere');
  assert.equal(t('nowhere_{n}', { n: 2 }), 'nowhere_2');
  setLang('id');
  assert.equal(t('nowhere'), 'nowhere');
});

test('Indonesian first, English on request, the choice remembered under the page key', () => {
  const storage = memory();
  const a = createI18n({ strings: table, storageKey: 'page.lang', storage });
  assert.equal(a.lang(), 'id');
  assert.equal(a.locale(), 'id-ID');
  a.setLang('en');
  assert.equal(a.lang(), 'en');
  assert.equal(a.locale(), 'en-GB');
  assert.equal(storage.map.get('page.lang'), 'en');
  // The next page load starts in English; another page's key is its own.
  assert.equal(createI18n({ strings: table, storageKey: 'page.lang', storage }).lang(), 'en');
  assert.equal(createI18n({ strings: table, storageKey: 'other.lang', storage }).lang(), 'id');
  // Any other language means Indonesian.
  a.setLang('fr');
  assert.equal(a.lang(), 'id');
  assert.equal(storage.map.get('page.lang'), 'id');
  assert.equal(createI18n({ strings: table, storageKey: 'x', storage: memory({ x: 'de' }) }).lang(), 'id');
});

test('blocked or absent storage: Indonesian, and a switch still works', () => {
  const blocked = {
    getItem() {
      throw new Error('SecurityError');
    },
    setItem() {
      throw new Error('SecurityError');
    },
  };
  for (const storage of [blocked, null]) {
    const i = createI18n({ strings: table, storageKey: 'k', storage });
    assert.equal(i.lang(), 'id');
    i.setLang('en');
    assert.equal(i.lang(), 'en');
    assert.equal(i.t('hello', { name: 'Budi' }), 'Hello Budi');
  }
});

test('numbers and times in the language chosen', () => {
  const i = createI18n({ strings: table, storageKey: 'k', storage: memory() });
  assert.equal(i.fmtInt(1234567), '1.234.567');
  assert.equal(i.fmtInt(null), '–');
  assert.equal(i.fmtPct(1, 3), '33,33%');
  assert.equal(i.fmtPct(1, 0), '–');
  assert.equal(i.fmtTime(null), '–');
  assert.match(i.fmtTime(Date.UTC(2024, 1, 14, 6, 0, 0)), /13[.:]00[.:]00 WIB$/);
  i.setLang('en');
  assert.equal(i.fmtInt(1234567), '1,234,567');
  assert.equal(i.fmtPct(1, 3), '33.33%');
  assert.equal(i.fmtTime(Date.UTC(2024, 1, 14, 6, 0, 0)), '14 Feb 2024, 13:00:00 WIB');
});

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

for (const [name, strings] of [['portal', portal], ['officer', officer]]) {
  test(`the ${name} table: every key in both languages, with the same placeholders`, () => {
    assert.deepEqual(Object.keys(strings).sort(), ['en', 'id']);
    const id = Object.keys(strings.id);
    const en = Object.keys(strings.en);
    assert.ok(id.length > 50);
    assert.deepEqual(id.filter((k) => !(k in strings.en)), [], 'keys missing in English');
    assert.deepEqual(en.filter((k) => !(k in strings.id)), [], 'keys missing in Indonesian');
    for (const k of id) {
      assert.equal(typeof strings.id[k], 'string', k);
      assert.equal(typeof strings.en[k], 'string', k);
      assert.notEqual(strings.id[k], '', k);
      assert.notEqual(strings.en[k], '', k);
      assert.deepEqual(placeholders(strings.en[k]), placeholders(strings.id[k]), `placeholders of ${k}`);
    }
  });

  test(`the ${name} table through the engine`, () => {
    const i = createI18n({ strings, storageKey: 'k', storage: memory() });
    for (const k of Object.keys(strings.id)) assert.equal(i.t(k, {}), strings.id[k]);
    i.setLang('en');
    for (const k of Object.keys(strings.en)) assert.equal(i.t(k, {}), strings.en[k]);
  });
}

test('the pages bind the engine to their own table and key', async () => {
  const p = await import('../src/i18n.js');
  assert.equal(p.lang(), 'id');
  assert.equal(p.t('progress_text', { reported: 1, total: 2 }), '1 dari 2 TPS ({pct})');
  assert.equal(p.fmtTime(null), 'belum ada data');
  assert.equal(p.fieldLabel('ss_rusak', 'Surat suara rusak'), 'Surat suara rusak');
  p.setLang('en');
  assert.equal(p.fieldLabel('pengguna_dpt_l', 'x'), 'Voters on the DPT (men)');
  assert.equal(p.fieldLabel('unknown_field', 'As served'), 'As served');
  assert.equal(p.fmtTime(null), 'no data yet');
  const o = await import('../src/officer/i18n.js');
  assert.equal(o.lang(), 'id');
  assert.equal(o.t('tps_unknown', { code: '1101012001002' }), 'TPS 1101012001002 tidak ada dalam pemilu ini.');
  assert.equal(o.t('violation_eq', { field: 'DPT' }), 'DPT: tertulis {got}, seharusnya {expected}');
});
