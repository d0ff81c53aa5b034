// Query words split as the server splits names (src/publish/portal/indexes.cpp, search_words).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { words } from '../src/search.js';

test('words: lower-case letters and digits; anything else separates', () => {
  assert.deepEqual(words('KAB. BLANG-SARI 2'), ['kab', 'blang', 'sari', '2']);
  assert.deepEqual(words('  Ulée  Kareng '), ['ul', 'e', 'kareng']);
  assert.deepEqual(words(''), []);
});
