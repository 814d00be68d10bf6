// Filters, ordering and block constraints of graph-node's query API compiled to SQL with bound
// parameters (graphql/src/store/query.rs, store/postgres/src/relational_queries.rs).
import type { Field } from '../schema/schema.js';
import type { Layout } from '../store/layout.js';
import { quote, type Table } from '../store/layout.js';

export class QueryError extends Error {}

/** Collects bound parameters; `add` returns the placeholder. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}

export function blockCondition(table: Table, alias: string, block: number, params: Params): string {
  return table.type.immutable
    ? `${alias}."block$" <= ${params.add(block, 'int4')}`
    : `${alias}.block_range @> ${params.add(block, 'int4')}`;
}

const STRING_OPS: Array<[string, (col: string, p: string) => string]> = [
  ['_contains', (c, p) => `${c} LIKE '%' || ${p} || '%'`],
  ['_contains_nocase', (c, p) => `${c} ILIKE '%' || ${p} || '%'`],
  ['_not_contains', (c, p) => `${c} NOT LIKE '%' || ${p} || '%'`],
  ['_not_contains_nocase', (c, p) => `${c} NOT ILIKE '%' || ${p} || '%'`],
  ['_starts_with', (c, p) => `${c} LIKE ${p} || '%'`],
  ['_starts_with_nocase', (c, p) => `${c} ILIKE ${p} || '%'`],
  ['_not_starts_with', (c, p) => `${c} NOT LIKE ${p} || '%'`],
  ['_not_starts_with_nocase', (c, p) => `${c} NOT ILIKE ${p} || '%'`],
  ['_ends_with', (c, p) => `${c} LIKE '%' || ${p}`],
  ['_ends_with_nocase', (c, p) => `${c} ILIKE '%' || ${p}`],
  ['_not_ends_with', (c, p) => `${c} NOT LIKE '%' || ${p}`],
  ['_not_ends_with_nocase', (c, p) => `${c} NOT ILIKE '%' || ${p}`],
];
const COMPARISONS: Array<[string, string]> = [
  ['_gt', '>'],
  ['_lt', '<'],
  ['_gte', '>='],
  ['_lte', '<='],
];

/** The filter suffixes graph-node generates for a field. */
export function operatorsFor(field: Field, scalar: string): string[] {
  if (field.derivedFrom) return [];
  if (field.list) {
    const ops = ['', '_not', '_contains', '_not_contains'];
    return scalar === 'String' && field.kind !== 'reference'
      ? [...ops, '_contains_nocase', '_not_contains_nocase']
      : ops;
  }
  const ops = ['', '_not', '_in', '_not_in'];
  if (scalar === 'Boolean' || field.kind === 'enum') return ops;
  ops.push(...COMPARISONS.map(([suffix]) => suffix));
  if (scalar === 'Bytes') ops.push('_contains', '_not_contains');
  if (scalar === 'String' || scalar === 'ID') ops.push(...STRING_OPS.map(([suffix]) => suffix));
  return ops;
}

/** Converts an input value to the column's SQL parameter. */
function param(scalar: string, value: unknown): unknown {
  if (value === null) return null;
  if (scalar === 'Bytes') {
    const text = String(value);
    const hex = text.startsWith('0x') ? text.slice(2) : text;
    if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new QueryError(`Invalid value for a Bytes field: "${text}"`);
    return Buffer.from(hex, 'hex');
  }
  if (scalar === 'BigInt' || scalar === 'BigDecimal' || scalar === 'Int8' || scalar === 'Timestamp')
    return String(value);
  return value;
}

export function compileFilter(
  layout: Layout,
  table: Table,
  alias: string,
  where: Record<string, unknown> | null | undefined,
  block: number,
  params: Params,
  depth = 0,
): string {
  if (!where) return 'true';
  const conditions: string[] = [];
  const keys = Object.keys(where);
  if (keys.includes('or') && keys.some((k) => k !== 'or' && k !== '_change_block')) {
    throw new QueryError("Cannot mix column filters with 'or' operator");
  }
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (key === 'and' || key === 'or') {
      const parts = (value as Array<Record<string, unknown>>).map(
        (sub) => `(${compileFilter(layout, table, alias, sub, block, params, depth)})`,
      );
      conditions.push(parts.length === 0 ? 'true' : parts.join(key === 'and' ? ' AND ' : ' OR '));
      continue;
    }
    if (key === '_change_block') {
      const since = (value as { number_gte: number }).number_gte;
      conditions.push(
        table.type.immutable
          ? `${alias}."block$" >= ${params.add(since, 'int4')}`
          : `lower(${alias}.block_range) >= ${params.add(since, 'int4')}`,
      );
      continue;
    }
    conditions.push(compileField(layout, table, alias, key, value, block, params, depth));
  }
  return conditions.length === 0 ? 'true' : conditions.join(' AND ');
}

function compileField(
  layout: Layout,
  table: Table,
  alias: string,
  key: string,
  value: unknown,
  block: number,
  params: Params,
  depth: number,
): string {
  if (key.endsWith('_')) {
    const field = table.type.fieldsByName.get(key.slice(0, -1));
    if (field?.kind !== 'reference') throw new QueryError(`Filter field \`${key}\` does not exist`);
    if (depth > 0) throw new QueryError('Nested filters are only supported one level deep');
    const target = layout.table(field.baseType);
    const inner = `n${depth}`;
    const sub = `${blockCondition(target, inner, block, params)} AND ${compileFilter(layout, target, inner, value as Record<string, unknown>, block, params, depth + 1)}`;
    if (field.derivedFrom) {
      const fk = target.columns.find((c) => c.field.name === field.derivedFrom);
      if (!fk) throw new QueryError(`Derived field \`${field.name}\` points at a missing field`);
      const match = fk.field.list
        ? `${alias}.id = ANY(${inner}.${quote(fk.name)})`
        : `${inner}.${quote(fk.name)} = ${alias}.id`;
      return `EXISTS (SELECT 1 FROM ${target.qualified} ${inner} WHERE ${match} AND ${sub})`;
    }
    const column = `${alias}.${quote(table.columns.find((c) => c.field.name === field.name)?.name ?? '')}`;
    return field.list
      ? `EXISTS (SELECT 1 FROM ${target.qualified} ${inner} WHERE ${inner}.id = ANY(${column}) AND ${sub})`
      : `${column} IN (SELECT ${inner}.id FROM ${target.qualified} ${inner} WHERE ${sub})`;
  }
  const column = table.columns
    .filter((c) => key.startsWith(c.field.name))
    .sort((a, b) => b.field.name.length - a.field.name.length)
    .find((c) => operatorsFor(c.field, c.scalar).includes(key.slice(c.field.name.length)));
  if (!column) throw new QueryError(`Type \`${table.type.name}_filter\` has no field \`${key}\``);
  const op = key.slice(column.field.name.length);
  const col = `${alias}.${quote(column.name)}`;
  const scalar = column.scalar;
  const cast = column.sqlType;
  if (column.field.list) {
    const items = (value as unknown[] | null) ?? [];
    const array = params.add(
      items.map((item) => param(scalar, item)),
      cast,
    );
    if (op === '') return `${col} = ${array}`;
    if (op === '_not') return `${col} <> ${array}`;
    if (op === '_contains' || op === '_contains_nocase') return `${col} @> ${array}`;
    return `NOT (${col} @> ${array})`;
  }
  const base = cast.replace('[]', '');
  if (op === '' || op === '_not') {
    if (value === null) return op === '' ? `${col} IS NULL` : `${col} IS NOT NULL`;
    return `${col} ${op === '' ? '=' : '<>'} ${params.add(param(scalar, value), base)}`;
  }
  if (op === '_in' || op === '_not_in') {
    const items = value as unknown[];
    if (items.length === 0) return 'false';
    const array = params.add(
      items.map((item) => param(scalar, item)),
      `${base}[]`,
    );
    return op === '_in' ? `${col} = ANY(${array})` : `NOT (${col} = ANY(${array}))`;
  }
  const comparison = COMPARISONS.find(([suffix]) => suffix === op);
  if (comparison) return `${col} ${comparison[1]} ${params.add(param(scalar, value), base)}`;
  if (scalar === 'Bytes') {
    const bytes = params.add(param(scalar, value), 'bytea');
    return op === '_contains' ? `position(${bytes} in ${col}) > 0` : `position(${bytes} in ${col}) = 0`;
  }
  const stringOp = STRING_OPS.find(([suffix]) => suffix === op);
  if (stringOp) return stringOp[1](col, params.add(String(value), 'text'));
  throw new QueryError(`Unsupported filter \`${key}\``);
}

export function compileOrder(
  layout: Layout,
  table: Table,
  alias: string,
  orderBy: string | null | undefined,
  direction: string | null | undefined,
  block: number,
  params: Params,
): string {
  const dir = direction === 'desc' ? 'DESC' : 'ASC';
  if (!orderBy || orderBy === 'id') return `${alias}.id ${dir}`;
  const [parentName, childName] = orderBy.split('__');
  const column = table.columns.find((c) => c.field.name === parentName);
  if (!column) throw new QueryError(`Ordering by \`${orderBy}\` is not supported`);
  if (childName === undefined) return `${alias}.${quote(column.name)} ${dir}, ${alias}.id ${dir}`;
  // parent__child: order by a scalar of the referenced entity, read at the same block.
  const target = layout.table(column.field.baseType);
  const child = target.columns.find((c) => c.field.name === childName);
  if (!child || column.field.kind !== 'reference') throw new QueryError(`Ordering by \`${orderBy}\` is not supported`);
  const version = blockCondition(target, 'o', block, params);
  return `(SELECT o.${quote(child.name)} FROM ${target.qualified} o WHERE o.id = ${alias}.${quote(column.name)} AND ${version}) ${dir}, ${alias}.id ${dir}`;
}
