// FHIR validation for any test: validateFhir(resource) checks a FHIR R4
// resource against the schema HL7 publishes for R4
// (../shared/fhir/fhir.r4.schema.json) with Debian's python3-jsonschema
// (installed by `./test`, scripts/setup.sh). Returns the list of errors
// (empty when valid); throws when the validator or the schema is missing,
// so a test never passes without validating.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FHIR_SCHEMA = path.resolve(here, '../../../shared/fhir/fhir.r4.schema.json');
const checker = path.join(here, 'fhir_validate.py');

export function validateFhir(resource, schema = FHIR_SCHEMA) {
  const r = spawnSync('python3', [checker, schema], {
    input: typeof resource === 'string' ? resource : JSON.stringify(resource),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.error) throw new Error(`cannot run the FHIR validator: ${r.error.message}`);
  if (r.status === 2) throw new Error(`FHIR validation unavailable: ${r.stderr.trim()}`);
  if (r.status !== 0 && r.status !== 1) throw new Error(`FHIR validator failed: ${r.stderr}`);
  return r.status === 0 ? [] : r.stderr.trim().split('\n');
}
