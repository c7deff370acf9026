import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Filter } from '../api/query.ts';
import { errors } from '../errors.ts';

/** `%` and `_` in user input match themselves. */
export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Case-insensitive "contains" that behaves the same on SQLite and PostgreSQL. */
export function containsInsensitive(column: string, text: string) {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${likePattern(text)} escape '\\'`;
}

/**
 * The SQL condition of one parsed API filter on a plain column, for OpenProject's common operators
 * (`=`, `!`, `*`, `!*`, `~`, `!~`, `**`, `>=`, `<=`). `kind` says how the string values are stored.
 */
export function columnCondition(
  eb: ExpressionBuilder<any, any>,
  column: string,
  filter: Filter,
  kind: 'integer' | 'string' | 'boolean',
): Expression<SqlBool> {
  const values: (string | number)[] = filter.values.map((v) =>
    kind === 'integer' ? Number(v) : kind === 'boolean' ? (v === 't' ? 1 : 0) : v,
  );
  const ref = sql.ref(column);
  switch (filter.operator) {
    case '=':
      return eb(ref, 'in', values);
    case '!':
      return eb.or([eb(ref, 'not in', values), eb(ref, 'is', null)]);
    case '*':
      return eb(ref, 'is not', null);
    case '!*':
      return eb(ref, 'is', null);
    case '~':
    case '**':
      return eb.and(filter.values.map((v) => containsInsensitive(column, v)));
    case '!~':
      return eb.not(eb.or(filter.values.map((v) => containsInsensitive(column, v))));
    case '>=':
      return eb(ref, '>=', values[0]!);
    case '<=':
      return eb(ref, '<=', values[0]!);
    default:
      throw errors.invalid_query({}, `Filters ${filter.name} Operator is not set to one of the allowed values.`);
  }
}
