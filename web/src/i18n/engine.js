// The one translation engine of web/: the portal (src/i18n.js) and the officer's page
// (src/officer/i18n.js) each make one with their own string table (src/i18n/portal.js,
// src/i18n/officer.js) and their own remembered choice.
//
// - Languages: Indonesian ('id') first, English ('en') on request; any other value means 'id'.
//   The choice is kept in storage (localStorage) under the page's key; where storage is blocked
//   (private browsing) the page starts in Indonesian and a switch lasts for the page only.
// - A key missing from the current language's table is taken from the Indonesian one; missing
//   there too, the key itself is shown.
// - A placeholder {name} is filled from vars when vars has its own `name` that is neither
//   undefined nor null; otherwise `{name}` stays in the text, so that a missing value is
//   noticed. t() never throws.

const LANGS = ['id', 'en'];
const LOCALES = { id: 'id-ID', en: 'en-GB' };
const PLACEHOLDER = /\{(\w+)\}/g;

// `text` with each {name} replaced by vars[name] (see above).
export function fill(text, vars) {
  const s = String(text);
  if (vars == null || typeof vars !== 'object') return s;
  return s.replace(PLACEHOLDER, (whole, k) => {
    if (!Object.prototype.hasOwnProperty.call(vars, k) || vars[k] == null) return whole;
    try {
      return String(vars[k]);
    } catch {
      return whole; // A value with no string form (Object.create(null)).
    }
  });
}

// strings: {id: {key: text}, en: {key: text}}; storageKey: where the choice is remembered;
// storage: localStorage unless given (tests give a stand-in, or null for none).
export function createI18n({ strings, storageKey, storage }) {
  const store = () => (storage !== undefined ? storage : globalThis.localStorage);

  let current = 'id';
  try {
    current = store()?.getItem(storageKey) === 'en' ? 'en' : 'id';
  } catch {
    // Storage may be blocked (private mode); Indonesian then.
  }

  const lang = () => current;

  function setLang(l) {
    current = LANGS.includes(l) ? l : 'id';
    try {
      store()?.setItem(storageKey, current);
    } catch {
      // Not remembered, still switched.
    }
    if (globalThis.document?.documentElement) globalThis.document.documentElement.lang = current;
  }

  function t(key, vars) {
    const text = strings[current]?.[key] ?? strings.id?.[key] ?? key;
    return fill(text, vars);
  }

  const locale = () => LOCALES[current];

  function fmtInt(n) {
    return n == null ? '–' : new Intl.NumberFormat(locale()).format(n);
  }

  function fmtPct(part, whole) {
    if (!whole) return '–';
    return new Intl.NumberFormat(locale(), {
      style: 'percent',
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    }).format(part / whole);
  }

  // In WIB, the time zone the commission publishes in; '–' for no time.
  function fmtTime(ms) {
    if (ms == null) return '–';
    const text = new Intl.DateTimeFormat(locale(), {
      timeZone: 'Asia/Jakarta',
      dateStyle: 'medium',
      timeStyle: 'medium',
    }).format(new Date(ms));
    return `${text} WIB`;
  }

  return { lang, setLang, t, locale, fmtInt, fmtPct, fmtTime };
}
