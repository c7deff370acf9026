import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { $RefParser } from '@apidevtools/json-schema-ref-parser';

/**
 * Test helper: validate our responses against OpenProject's published OpenAPI schemas
 * (`shared/spec/openapi/components/schemas/*.yml`, relative `$ref`s resolved). The spec folder is
 * `OPENAPI_SPEC_DIR`, else `shared/spec/openapi` beside the repository (as CI lays it out).
 */
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const here = path.dirname(fileURLToPath(import.meta.url));
export const OPENAPI_DIR = process.env.OPENAPI_SPEC_DIR ?? path.resolve(here, '../../../../../shared/spec/openapi');

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, Promise<ValidateFunction>>();
ajv.addFormat('hex-code', /^#[0-9a-fA-F]{3,8}$/);

/**
 * The spec folder leaves a few refs unresolved on purpose (activity, program, portfolio models; see its
 * README). They resolve to a schema nothing matches: such a property must be absent, and a `oneOf`
 * picks the one known alternative.
 */
const ABSENT = {
  order: 0,
  canRead: (file: { url: string }) => file.url.endsWith('.yml') && !fs.existsSync(file.url.startsWith('file:') ? fileURLToPath(file.url) : file.url),
  read: () => '{"not": {}}',
};

function validator(schema: string): Promise<ValidateFunction> {
  let pending = compiled.get(schema);
  if (!pending) {
    const file = path.join(OPENAPI_DIR, 'components/schemas', `${schema}.yml`);
    if (!fs.existsSync(file)) throw new Error(`OpenAPI schema not found: ${file} (set OPENAPI_SPEC_DIR)`);
    pending = $RefParser.dereference(file, { resolve: { absent: ABSENT } }).then((resolved) => ajv.compile(resolved as object));
    compiled.set(schema, pending);
  }
  return pending;
}

/** Assert that `data` matches the named schema, e.g. `await assertSchema('project_model', body)`. */
export async function assertSchema(schema: string, data: unknown): Promise<void> {
  const validate = await validator(schema);
  if (!validate(data)) {
    assert.fail(`response does not match ${schema}: ${ajv.errorsText(validate.errors, { separator: '\n  ' })}\n${JSON.stringify(data, null, 2).slice(0, 2000)}`);
  }
}
