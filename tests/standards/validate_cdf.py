#!/usr/bin/env python3
"""Validates NIST SP 1500-100 v2 JSON documents against the standard's JSON schema.

    python3 tests/standards/validate_cdf.py SCHEMA FILE...

SCHEMA is NIST_V2_election_results_reporting.json (draft-04; ../shared/standards/
nist-1500-100-v2.json beside a rekap checkout). Each FILE is validated with jsonschema's
Draft4Validator and the formats it can check. The schema also names, in its own keyword
`refTypes`, the classes an id may refer to; a validator ignores unknown keywords, so this script
checks them too: each id must be the @id of an object of the document of one of those classes.
Prints every error as FILE: JSON-PATH: MESSAGE and exits 1 when there is one (Debian:
python3-jsonschema).
"""
import json
import sys

import jsonschema
from jsonschema import validators


def ids_of(document):
    """Every @id of the document and the @type of the object carrying it."""
    found = {}
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if isinstance(value.get("@id"), str):
                found[value["@id"]] = value.get("@type")
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found


def validator_for(schema, document):
    ids = ids_of(document)

    def ref_types(validator, types, instance, schema):
        if not validator.is_type(instance, "string"):
            return
        if instance not in ids:
            yield jsonschema.ValidationError(f"{instance!r} is the @id of no object of the document")
        elif ids[instance] not in types:
            yield jsonschema.ValidationError(
                f"{instance!r} is a {ids[instance]}, not one of {', '.join(types)}")

    cls = validators.extend(jsonschema.Draft4Validator, {"refTypes": ref_types})
    return cls(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def json_path(path):
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def branch_errors(error):
    """For a oneOf over classes, the errors of the branch for the object's own @type."""
    if error.validator != "oneOf" or not isinstance(error.instance, dict):
        return []
    want = f"#/definitions/{error.instance.get('@type')}"
    for i, branch in enumerate(error.validator_value):
        if branch.get("$ref") == want:
            return [e for e in error.context if e.relative_schema_path[0] == i]
    return []


def report(name, error, out):
    sub = branch_errors(error)
    if not sub:
        out.append(f"{name}: {json_path(error.absolute_path)}: {error.message}")
    for e in sub:
        report(name, e, out)


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft4Validator.check_schema(schema)
    errors = []
    for name in argv[2:]:
        try:
            with open(name, encoding="utf-8") as f:
                document = json.load(f)
        except (OSError, ValueError) as e:
            errors.append(f"{name}: not a JSON document: {e}")
            continue
        for error in validator_for(schema, document).iter_errors(document):
            report(name, error, errors)
    for line in errors:
        print(line)
    files = len(argv) - 2
    if errors:
        print(f"validate_cdf: {len(errors)} errors in {files} files", file=sys.stderr)
        return 1
    print(f"validate_cdf: {files} files valid against {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
