#!/usr/bin/env python3
"""Validates FHIR R4 JSON resources against the schema HL7 publishes
(../shared/fhir/fhir.r4.schema.json, draft-06), with Debian's
python3-jsonschema.

Usage: fhir_validate.py [FILE...]   (no FILE: one resource on stdin)
Prints one line per error (JSON path: message) and exits 1 when a resource
is invalid, 0 when every one is valid.
"""
import json
import os
import sys

import jsonschema

SCHEMA = os.environ.get('FHIR_SCHEMA') or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'fhir',
    'fhir.r4.schema.json')


def main(argv):
    with open(SCHEMA, encoding='utf-8') as f:
        validator = jsonschema.Draft6Validator(json.load(f))
    docs = []
    if len(argv) > 1:
        for name in argv[1:]:
            with open(name, encoding='utf-8') as f:
                docs.append((name, json.load(f)))
    else:
        docs.append(('<stdin>', json.load(sys.stdin)))
    bad = 0
    for name, doc in docs:
        for err in validator.iter_errors(doc):
            bad += 1
            path = '/'.join(str(p) for p in err.absolute_path)
            print(f'{name}: {path}: {err.message[:300]}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
