import { errors } from '../errors.ts';

/**
 * OpenProject's collection query syntax, parsed once for every API v3 collection:
 * `filters=[{"status":{"operator":"=","values":["1"]}}]`, `sortBy=[["id","asc"]]`, `pageSize`, `offset`.
 * Domains declare which filters and sort keys they accept; the repository turns the parsed
 * filters into SQL (see db/filters.ts for the common operators).
 */
export type FilterValueKind = 'integer' | 'string' | 'boolean' | 'date' | 'none';

export interface FilterDef {
  /** Human name used in error messages ("Status" → "Filters Status filter has invalid values."). */
  label: string;
  operators: readonly string[];
  values: FilterValueKind;
  /** Integer filters on principals also take `me`. */
  allowMe?: boolean;
  /** Extra check of the values (e.g. that they name existing things); false → invalid values. */
  validate?: (values: string[]) => boolean;
}

export interface Filter {
  /** Snake-case name as declared (`readIAN` arrives as `read_ian`). */
  name: string;
  operator: string;
  values: string[];
}

export type SortDirection = 'asc' | 'desc';
export type Sort = [string, SortDirection];

export interface CollectionQuery {
  filters: Filter[];
  sortBy: Sort[];
  pageSize: number;
  /** 1-based page number, as OpenProject's `offset`. */
  offset: number;
}

export interface CollectionSpec {
  filters: Record<string, FilterDef>;
  /** Accepted sort keys (snake case). */
  sorts: readonly string[];
  defaultSort: Sort[];
  /** Filters applied when the request has no `filters` parameter at all. */
  defaultFilters?: Filter[];
  defaultPageSize?: number;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;
/** Operators that take no values. */
const VALUELESS = new Set(['*', '!*', 'o', 'c', 't', 'w']);

/** `readIAN` → `read_ian`, `storageUrl` → `storage_url` (OpenProject accepts both spellings). */
export function snakeCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

const invalid = (message: string) => errors.invalid_query({}, message);

export function parseFilters(raw: unknown, defs: Record<string, FilterDef>): Filter[] {
  if (raw === undefined || raw === '') return [];
  if (typeof raw !== 'string') throw invalid('Filters must be given once, as a JSON array.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalid(`unexpected token at '${raw}'`);
  }
  if (!Array.isArray(parsed)) throw invalid('Filters must be a JSON array of objects.');
  const filters: Filter[] = [];
  for (const item of parsed) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw invalid('Filters must be a JSON array of objects.');
    // One object may hold several filters, as the Nextcloud app sends for available projects.
    for (const [rawName, spec] of Object.entries(item as Record<string, unknown>)) {
      const name = snakeCase(rawName);
      const def = Object.hasOwn(defs, name) ? defs[name] : undefined;
      if (!def) throw invalid('Filters Invalid filter does not exist.');
      filters.push(parseOne(name, def, spec));
    }
  }
  return filters;
}

function parseOne(name: string, def: FilterDef, spec: unknown): Filter {
  const body = (spec && typeof spec === 'object' ? spec : {}) as { operator?: unknown; values?: unknown };
  if (typeof body.operator !== 'string' || !def.operators.includes(body.operator)) {
    throw invalid(`Filters ${def.label} Operator is not set to one of the allowed values.`);
  }
  const operator = body.operator;
  const badValues = () => invalid(`Filters ${def.label} filter has invalid values.`);
  if (VALUELESS.has(operator)) return { name, operator, values: [] };
  if (!Array.isArray(body.values) || body.values.length === 0) throw badValues();
  const values = body.values.map((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v));
  if (!values.every((v): v is string => typeof v === 'string')) throw badValues();
  const normalized = values.map((v) => normalizeValue(def, v));
  if (normalized.some((v) => v === undefined)) throw badValues();
  const result = normalized as string[];
  if (def.validate && !def.validate(result)) throw badValues();
  return { name, operator, values: result };
}

function normalizeValue(def: FilterDef, value: string): string | undefined {
  switch (def.values) {
    case 'integer':
      if (def.allowMe && value === 'me') return value;
      return /^\d{1,15}$/.test(value) ? String(Number(value)) : undefined;
    case 'boolean':
      if (value === 't' || value === 'true') return 't';
      if (value === 'f' || value === 'false') return 'f';
      return undefined;
    case 'date':
      return /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)) ? value : undefined;
    case 'string':
      return value;
    case 'none':
      return undefined;
  }
}

export function parseSortBy(raw: unknown, allowed: readonly string[], fallback: Sort[]): Sort[] {
  if (raw === undefined || raw === '') return fallback;
  let parsed: unknown;
  try {
    parsed = typeof raw === 'string' ? JSON.parse(raw) : undefined;
  } catch {
    throw invalid(`unexpected token at '${String(raw)}'`);
  }
  if (!Array.isArray(parsed)) throw invalid('Sort by must be a JSON array of [attribute, direction] pairs.');
  const sorts: Sort[] = [];
  for (const pair of parsed) {
    if (!Array.isArray(pair) || typeof pair[0] !== 'string') throw invalid('Sort by must be a JSON array of [attribute, direction] pairs.');
    const key = snakeCase(pair[0]);
    if (!allowed.includes(key)) throw invalid('Sort by Invalid order does not exist.');
    const direction = pair[1] === undefined ? 'asc' : pair[1];
    if (direction !== 'asc' && direction !== 'desc') throw invalid(`Sort by ${pair[0]} direction is invalid.`);
    sorts.push([key, direction]);
  }
  return sorts.length > 0 ? sorts : fallback;
}

/**
 * `pageSize`: above the maximum it is clamped (as OpenProject caps at `apiv3_max_page_size`);
 * negative (the Nextcloud app sends `-1` meaning "all") gives the maximum; unreadable gives the
 * default. `offset` is the 1-based page number; anything below 1 is page 1.
 */
export function parsePagination(query: Record<string, unknown>, defaultPageSize = DEFAULT_PAGE_SIZE): { pageSize: number; offset: number } {
  const size = toInt(query.pageSize ?? query.per_page);
  const page = toInt(query.offset ?? query.page);
  const pageSize = size === undefined ? defaultPageSize : size < 0 ? MAX_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE);
  return { pageSize, offset: page === undefined || page < 1 ? 1 : page };
}

function toInt(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^-?\d{1,9}$/.test(value.trim())) return undefined;
  return Number(value);
}

export function parseCollectionQuery(query: Record<string, unknown>, spec: CollectionSpec): CollectionQuery {
  const filters = query.filters === undefined && spec.defaultFilters ? spec.defaultFilters : parseFilters(query.filters, spec.filters);
  return {
    filters,
    sortBy: parseSortBy(query.sortBy, spec.sorts, spec.defaultSort),
    ...parsePagination(query, spec.defaultPageSize),
  };
}
