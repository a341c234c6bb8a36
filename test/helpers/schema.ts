/**
 * The JSON Schema validator the tests check --json output with: ajv for draft 2020-12, with the
 * one string format the schemas use (`date-time`, RFC 3339) checked instead of ignored with a
 * warning.
 */
import Ajv2020Module from 'ajv/dist/2020.js';

/** RFC 3339 date-time: 2026-11-25T07:01:00Z, with optional fraction and offset. */
const DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

export function isDateTime(value: string): boolean {
  return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

// ajv is CommonJS: under NodeNext its class is the default export's `default`.
export type SchemaValidator = InstanceType<typeof Ajv2020Module.default>;

export function schemaValidator(): SchemaValidator {
  const ajv = new Ajv2020Module.default({ allErrors: true, strict: false });
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
  return ajv;
}
