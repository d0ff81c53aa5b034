// URLs of the views, one per view so that any view can be shared:
//   #/<ballot>                       the nation
//   #/<ballot>/11/1101/110101        a region (the codes from the province down; the last counts)
//   #/<ballot>/…/1101012001001       a TPS (13 digits), on that ballot
//   #/<ballot>/dapil/<contest id>    an electoral district
//   #/tps/<code>                     a TPS, on its first ballot
export const BALLOTS = ['ppwp', 'pdpr', 'pdpd', 'pdprdp', 'pdprdk'];

const LENGTHS = [2, 4, 6, 10, 13];

// The codes from the province down to `code`: '317101' -> ['31', '3171', '317101'].
export function codePath(code) {
  return LENGTHS.filter((n) => n <= code.length).map((n) => code.slice(0, n));
}

export function regionHref(ballot, code = '') {
  return ['#', ballot, ...codePath(code)].join('/');
}

export function tpsHref(code, ballot) {
  return ballot ? regionHref(ballot, code) : `#/tps/${code}`;
}

export function dapilHref(ballot, id) {
  return `#/${ballot}/dapil/${encodeURIComponent(id)}`;
}

// The view a hash names: {view: 'region'|'tps'|'dapil'|'notfound', ballot, code, id}.
export function parse(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { view: 'region', ballot: 'ppwp', code: '' };
  if (parts[0] === 'tps' && /^\d{13}$/.test(parts[1] ?? '')) {
    return { view: 'tps', code: parts[1], ballot: null };
  }
  const ballot = parts[0];
  if (!BALLOTS.includes(ballot)) return { view: 'notfound', what: hash };
  if (parts[1] === 'dapil' && parts.length === 3) return { view: 'dapil', ballot, id: parts[2] };
  const code = parts.length > 1 ? parts[parts.length - 1] : '';
  if (!/^\d*$/.test(code)) return { view: 'notfound', what: hash };
  if (code.length === 13) return { view: 'tps', code, ballot };
  if (code !== '' && !LENGTHS.includes(code.length)) return { view: 'notfound', what: hash };
  return { view: 'region', ballot, code };
}
