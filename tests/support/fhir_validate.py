#!/usr/bin/env python3
"""Validates one FHIR R4 JSON resource (stdin) against the schema HL7
publishes for R4 (../shared/fhir/fhir.r4.schema.json, JSON Schema draft-06),
with Debian's python3-jsonschema. Exit 0 when valid; 1 with one line per
error on stderr when not; 2 when the schema or the validator is missing
(a missing validator is a failure, never a skip).

Usage: fhir_validate.py [SCHEMA] < resource.json
"""
import json
import os
import sys


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, '..', '..', '..', 'shared', 'fhir', 'fhir.r4.schema.json')
    schema_path = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('FHIR_SCHEMA', default)
    try:
        import jsonschema
    except ImportError:
        print('python3-jsonschema is not installed (scripts/setup.sh test)', file=sys.stderr)
        return 2
    try:
        with open(schema_path, encoding='utf-8') as f:
            schema = json.load(f)
    except OSError as e:
        print(f'FHIR schema missing: {e}', file=sys.stderr)
        return 2
    try:
        resource = json.load(sys.stdin)
    except ValueError as e:
        print(f'not JSON: {e}', file=sys.stderr)
        return 1
    validator = jsonschema.Draft6Validator(schema)
    errors = sorted(validator.iter_errors(resource), key=lambda e: list(e.absolute_path))
    # The R4 schema validates a resource through a oneOf over every resource
    # type: report the deepest causes, which name the field at fault.
    lines = []
    for e in errors:
        causes = [e]
        while causes and causes[0].context:
            causes = sorted(causes[0].context, key=lambda c: -len(c.absolute_path))
        for c in causes[:5]:
            path = '/'.join(str(p) for p in c.absolute_path)
            lines.append(f'{path}: {c.message[:300]}')
    for line in lines:
        print(line, file=sys.stderr)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
