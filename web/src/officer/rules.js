// The form's arithmetic, evaluated from the contest's constraints as the server serves them
// (GET /api/v1/contests/<id>, docs/statements.md "The rules as data"): the same rules the
// server applies, with no rule written here.

// The TPS's parameters the constraints may name, from its registered voters (dpt in
// GET /api/v1/tps/<code>); max_value adds the 2% spare ballots, rounded up.
export function tpsParams(dpt) {
  const dpt_j = dpt.l + dpt.p;
  return { dpt_l: dpt.l, dpt_p: dpt.p, dpt_j, max_value: dpt_j + Math.floor((dpt_j * 2 + 99) / 100) };
}

// Every constraint `values` (field -> number) break, as the server reports them:
// {rule, field, op, expected, got}. A constraint with an empty field (undefined) is not judged
// yet: the officer is still typing.
export function checkForm(contest, params, values) {
  const out = [];
  for (const c of contest.constraints) {
    const names = c.lhs.map((t) => t.field);
    if (c.rhs_field) names.push(c.rhs_field);
    if (names.some((n) => values[n] === undefined)) continue;
    const lhs = c.lhs.reduce((sum, t) => sum + t.coef * values[t.field], 0);
    const rhs = c.rhs_field ? values[c.rhs_field] : params[c.rhs_param];
    if (rhs === undefined) throw new Error(`constraint ${c.rule} names unknown parameter ${c.rhs_param}`);
    const ok = c.op === '==' ? lhs === rhs : lhs <= rhs;
    if (ok) continue;
    out.push({
      rule: c.rule,
      field: c.subject,
      op: c.op,
      expected: c.subject === c.rhs_field ? lhs : rhs,
      got: values[c.subject],
    });
  }
  return out;
}

// The fields a violation involves, to mark them on the form.
export function fieldsOf(contest, violation) {
  const c = contest.constraints.find((k) => k.rule === violation.rule && k.subject === violation.field);
  if (!c) return [violation.field];
  return [...c.lhs.map((t) => t.field), ...(c.rhs_field ? [c.rhs_field] : [])];
}

// A form field's text as a number the statement may carry, or undefined.
export function parseCount(text) {
  const s = String(text ?? '').trim();
  return /^(0|[1-9]\d{0,8})$/.test(s) ? Number(s) : undefined;
}
