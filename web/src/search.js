// Search by region name or code. Names are matched word by word: every word typed must begin a
// word of the name ("air ja" finds AIR JAYA). The index is sharded by the first two letters of
// each word (src/publish/portal/indexes.hpp), so only the shard of the longest word typed is
// fetched. Codes go straight to their view: 2 to 10 digits a region, 13 a TPS.
import * as api from './api.js';
import { t } from './i18n.js';

export function words(text) {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

const LEVEL_BY_LENGTH = { 2: 'provinsi', 4: 'kabkota', 6: 'kecamatan', 10: 'kelurahan' };

// Hits for a query: [{code, name, level, where, kind}] (kind 'region' or 'tps'), best first;
// or {hint} when there is nothing to look up yet.
export async function search(query, limit = 20) {
  const q = query.trim();
  if (/^\d+$/.test(q)) {
    if (q.length === 13) return [{ kind: 'tps', code: q, name: t('search_tps', { code: q }), level: 'tps', where: '' }];
    if (LEVEL_BY_LENGTH[q.length]) {
      return [{ kind: 'region', code: q, name: t('search_code', { code: q }), level: LEVEL_BY_LENGTH[q.length], where: '' }];
    }
    return { hint: t('search_short') };
  }
  const qw = words(q);
  const key = qw.filter((w) => w.length >= 2).sort((a, b) => b.length - a.length)[0]?.slice(0, 2);
  if (!key) return { hint: t('search_short') };
  let shard;
  try {
    shard = await api.searchShard(key);
  } catch (e) {
    if (e instanceof api.NotFound) return [];
    throw e;
  }
  const hits = [];
  for (const [code, name] of shard.regions) {
    const nw = words(name);
    if (!qw.every((w) => nw.some((x) => x.startsWith(w)))) continue;
    const exact = nw.join(' ') === qw.join(' ');
    hits.push({ kind: 'region', code, name, level: LEVEL_BY_LENGTH[code.length], where: where(code, shard.names), exact });
  }
  hits.sort((a, b) => b.exact - a.exact || a.code.length - b.code.length || a.name.localeCompare(b.name));
  return hits.slice(0, limit);
}

// "TANJUNG TIMUR, KAB. BLANG SARI, ACEH" for a desa: its kecamatan, kab/kota and province.
function where(code, names) {
  return [6, 4, 2]
    .filter((n) => n < code.length)
    .map((n) => names[code.slice(0, n)])
    .filter(Boolean)
    .join(', ');
}
