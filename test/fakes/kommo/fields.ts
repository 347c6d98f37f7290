import type { CustomFieldRecord, FieldValue, ScalarValue } from './types';

/** One value as a client sends it in `custom_fields_values[].values[]`. */
export interface RawFieldValue {
  value?: unknown;
  enum_id?: unknown;
  enum_code?: unknown;
}

export interface FieldValueProblem {
  code: string;
  /** Path below the value list, e.g. `values.0.value`. */
  path: string;
  detail: string;
}

const TIMESTAMP_TYPES = new Set(['date', 'date_time', 'birthday']);
const NUMBER_TYPES = new Set(['numeric', 'price', 'monetary']);
const ENUM_TYPES = new Set(['select', 'radiobutton', 'multiselect']);

function problem(index: number, code: string, detail: string): FieldValueProblem {
  return { code, path: `values.${index}.value`, detail };
}

function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

function coerceOne(field: CustomFieldRecord, raw: RawFieldValue, index: number): FieldValue | FieldValueProblem {
  const { value } = raw;
  if (TIMESTAMP_TYPES.has(field.type)) {
    // Real Kommo stores dates as unix seconds; catching ISO strings here catches client bugs early.
    const seconds = toInteger(value);
    return seconds === undefined ? problem(index, 'InvalidType', 'This value should be of type int.') : { value: seconds };
  }
  if (NUMBER_TYPES.has(field.type)) {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    return typeof n === 'number' && Number.isFinite(n) ? { value: n } : problem(index, 'InvalidType', 'This value should be of type numeric.');
  }
  if (field.type === 'checkbox') {
    return typeof value === 'boolean' ? { value } : problem(index, 'InvalidType', 'This value should be of type bool.');
  }
  if (ENUM_TYPES.has(field.type)) {
    const option = (field.enums ?? []).find((e) => e.id === raw.enum_id || (raw.enum_id === undefined && e.value === value));
    return option
      ? { value: option.value, enumId: option.id }
      : { code: 'NotSupportedChoice', path: `values.${index}.enum_id`, detail: 'The value you selected is not a valid choice.' };
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    return problem(index, 'InvalidType', 'This value should be of type string.');
  }
  const text = String(value);
  if (field.type === 'url' && !URL.canParse(text)) return problem(index, 'InvalidUrl', 'This value is not a valid URL.');
  if (field.type === 'multitext') {
    return { value: text, enumCode: typeof raw.enum_code === 'string' ? raw.enum_code : 'WORK' };
  }
  return { value: text };
}

/** Validates values for one field; `null` or `[]` clears the field. */
export function coerceFieldValues(field: CustomFieldRecord, raw: readonly RawFieldValue[] | null): FieldValue[] | FieldValueProblem {
  const out: FieldValue[] = [];
  for (const [index, item] of (raw ?? []).entries()) {
    const result = coerceOne(field, item, index);
    if ('code' in result) return result;
    out.push(result);
  }
  return out;
}

/** Turns a seeding shortcut (scalar, Date or list) into API-shaped raw values. */
export function seedValues(input: ScalarValue | Date | readonly (ScalarValue | Date)[]): RawFieldValue[] {
  const list = Array.isArray(input) ? input : [input];
  return list.map((v: ScalarValue | Date) => ({ value: v instanceof Date ? Math.floor(v.getTime() / 1000) : v }));
}
