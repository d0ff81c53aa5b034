// The officer page's rule check, evaluated from the contests' constraints as served, gives the
// server's own answer (fixtures/validation.json: forms refused by a real server with 422
// validation) — every violation, in the server's order, with the same numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkForm, fieldsOf, parseCount, tpsParams } from '../src/officer/rules.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/validation.json', import.meta.url), 'utf8'));
const params = tpsParams(fixture.dpt);

test('the TPS parameters: registered voters and the 2% spare ballots rounded up', () => {
  assert.deepEqual(tpsParams({ l: 105, p: 120 }), { dpt_l: 105, dpt_p: 120, dpt_j: 225, max_value: 230 });
  assert.equal(tpsParams({ l: 50, p: 50 }).max_value, 102);
  assert.equal(tpsParams({ l: 50, p: 51 }).max_value, 104);
  assert.equal(tpsParams({ l: 0, p: 0 }).max_value, 0);
});

for (const c of fixture.cases) {
  test(`${c.contest.id}: the violations are the server's`, () => {
    assert.deepEqual(checkForm(c.contest, params, c.values), c.violations);
  });
}

test('the form the server accepted breaks no rule', () => {
  const c = fixture.cases[0];
  assert.deepEqual(checkForm(c.contest, params, c.good), []);
});

test('a rule with an empty field is not judged yet; the others are', () => {
  const c = fixture.cases[0];
  const values = { ...c.good, c1: undefined, suara_total: c.good.suara_total + 1 };
  const rules = checkForm(c.contest, params, values).map((v) => `${v.rule}:${v.field}`);
  // votes_sum names c1, so it waits; valid_invalid and total_voters do not.
  assert.deepEqual(rules, ['valid_invalid:suara_total', 'total_voters:suara_total']);
});

test("the fields of a violation are its rule's terms", () => {
  const c = fixture.cases[1];
  const [partyTotal] = checkForm(c.contest, params, c.values);
  assert.equal(partyTotal.rule, 'party_total');
  const fields = fieldsOf(c.contest, partyTotal);
  assert.equal(fields.at(-1), 'p1t');
  assert.ok(fields.includes('p1') && fields.includes('p1c1'));
});

test('only whole numbers as the statement writes them are counts', () => {
  assert.equal(parseCount('0'), 0);
  assert.equal(parseCount(' 117 '), 117);
  assert.equal(parseCount('999999999'), 999999999);
  for (const bad of ['', '01', '-1', '1.5', '1e3', '1000000000', 'x']) assert.equal(parseCount(bad), undefined, bad);
});
