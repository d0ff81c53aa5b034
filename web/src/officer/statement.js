// The canonical text of a `result` statement (docs/statements.md): the exact bytes the device
// signs and the server re-encodes to check. Pure, so node --test compares it with statements
// the C++ side wrote.

const BALLOTS = ['ppwp', 'pdpr', 'pdpd', 'pdprdp', 'pdprdk'];
const MAX_NUMBER = 999999999;

function check(ok, what) {
  if (!ok) throw new Error(`statement: ${what}`);
}

const isWord = (s) => typeof s === 'string' && /^[!-~]{1,64}$/.test(s);
const isKey = (s) => typeof s === 'string' && /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/.test(s);
const isNumber = (n) => Number.isInteger(n) && n >= 0 && n <= MAX_NUMBER;

// YYYY-MM-DDTHH:MM:SSZ with the ranges the server checks.
export function validTime(t) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(t ?? '');
  if (!m) return false;
  const [month, day, hour, minute, second] = m.slice(2).map(Number);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59;
}

// The statement clock: UTC to the second.
export function statementTime(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// {election, signer (base64 public key), time, tps, ballot, rev, images (hex SHA-256, any
// order), values ([[field, number], ...] in the contest's form order)} -> text. Throws on
// anything the server would refuse as malformed.
export function resultStatement({ election, signer, time, tps, ballot, rev, images = [], values }) {
  check(isWord(election), 'election must be 1 to 64 printable characters without spaces');
  check(isKey(signer), 'signer must be a 32-byte key in base64');
  check(validTime(time), 'time must be YYYY-MM-DDTHH:MM:SSZ');
  check(/^\d{13}$/.test(tps ?? ''), 'tps must be a 13-digit TPS code');
  check(BALLOTS.includes(ballot), `ballot must be one of ${BALLOTS.join(', ')}`);
  check(Number.isInteger(rev) && rev >= 1 && rev <= MAX_NUMBER, 'rev must be a whole number from 1');
  const sorted = [...images].sort();
  for (const [i, h] of sorted.entries()) {
    check(/^[0-9a-f]{64}$/.test(h), `image ${h} is not a lower-case hex SHA-256`);
    check(i === 0 || sorted[i - 1] !== h, `image ${h} is named twice`);
  }
  check(Array.isArray(values) && values.length > 0, 'a result needs its values');
  const lines = [
    'rekap-statement/1',
    'type result',
    `election ${election}`,
    `signer ${signer}`,
    `time ${time}`,
    `tps ${tps}`,
    `ballot ${ballot}`,
    `rev ${rev}`,
    ...sorted.map((h) => `image ${h}`),
  ];
  for (const [name, value] of values) {
    check(/^[a-z0-9_]{1,32}$/.test(name), `field name ${name} is not [a-z0-9_]{1,32}`);
    check(isNumber(value), `${name} must be a whole number from 0 to ${MAX_NUMBER}`);
    lines.push(`v ${name} ${value}`);
  }
  return `${lines.join('\n')}\n`;
}

export function toBase64(bytes) {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s);
}

export function toHex(bytes) {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

// The statement's id: SHA-256 of its bytes in hex, as the server names it.
export async function statementId(text) {
  return toHex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}
