// Reads entities for the GraphQL resolvers the way graph-node's store does
// (store/postgres/src/relational_queries.rs): only the columns the query selects
// (`AttributeNames::Select`), entities by id in one query per type and nesting level, and the
// children of ALL parents of a level (derived fields, list references) in one windowed query with
// the field's own filter, order and range applied per parent — graph-node's `FilterWindow`:
// `from unnest(parent_ids) as p(id) cross join lateral (select … where <link> … order by … limit
// first offset skip) c`. Values leave SQL already in graph-node's output form where Postgres can do
// it (bytea as 0x-hex, numbers as text), which spares the driver most of its parsing.
import type { DeploymentStore } from '../store/deployment-store.js';
import { type Column, idOf, idParam, quote, type Table } from '../store/layout.js';
import { format as formatDecimal, fromString as parseDecimal } from '../wasm/big-decimal.js';
import { blockCondition, compileFilter, compileOrder, Params, QueryError } from './sql-query.js';

/** An entity as resolvers pass it around: selected attributes in graph-node's output form. */
export interface EntityRow {
  __typename: string;
  __block: number;
  /** Attribute values by field name: Bytes as lower-case 0x-hex, BigInt/BigDecimal/Int8/Timestamp as strings. */
  data: Record<string, unknown>;
}

export interface RangeArgs {
  first: number;
  skip: number;
  orderBy?: string;
  orderDirection?: string;
  where?: Record<string, unknown>;
}

/** How children hang off their parents: the child's `@derivedFrom` field, or the parent's list of ids. */
export type ChildLink = { kind: 'derived'; childField: string } | { kind: 'list'; parentField: string };

interface Batch<V, R> {
  items: Map<string, V>;
  fields: Set<string>;
  promise: Promise<Map<string, R>>;
}

export function idSqlType(table: Table): string {
  return table.idScalar === 'Bytes' ? 'bytea' : table.idScalar === 'Int8' ? 'int8' : 'text';
}

/** The SQL that selects a column already in output form (lists are converted in JS). */
function selectExpression(column: Column, alias: string): string {
  const col = `${alias}.${quote(column.name)}`;
  if (column.field.list) return col;
  switch (column.scalar) {
    case 'Bytes':
      return `'0x' || encode(${col}, 'hex')`;
    case 'BigInt':
    case 'BigDecimal':
    case 'Int8':
    case 'Timestamp':
      return `${col}::text`;
    default:
      return col;
  }
}

/** graph-node's output form (graph/src/data/value.rs) of a column value as SQL returned it. */
function outputOf(column: Column, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  if (!column.field.list) return scalarOutput(column.scalar, raw);
  return (raw as unknown[]).map((item) => {
    if (item === null) return null;
    return column.scalar === 'Bytes'
      ? `0x${Buffer.from(item as Uint8Array).toString('hex')}`
      : scalarOutput(column.scalar, item);
  });
}

function scalarOutput(scalar: string, raw: unknown): unknown {
  switch (scalar) {
    case 'BigDecimal':
      // numeric keeps whatever scale it was given; graph-node prints BigDecimal normalised.
      return formatDecimal(parseDecimal(String(raw)));
    case 'BigInt':
    case 'Int8':
    case 'Timestamp':
      return String(raw);
    case 'Int':
      return Number(raw);
    default:
      return raw;
  }
}

export class EntityReader {
  private readonly batches = new Map<string, Batch<unknown, unknown>>();

  constructor(private readonly store: DeploymentStore) {}

  /** A top-level collection: `entities(first, skip, orderBy, orderDirection, where)`. */
  async collection(typeName: string, args: RangeArgs, block: number, fields: Set<string>): Promise<EntityRow[]> {
    const layout = this.store.layout;
    const table = layout.table(typeName);
    const params = new Params();
    const columns = this.columns(table, fields);
    const where = `${blockCondition(table, 'c', block, params)} AND ${compileFilter(layout, table, 'c', args.where, block, params)}`;
    const order = compileOrder(layout, table, 'c', args.orderBy, args.orderDirection, block, params);
    const rows = await this.store.sql.query(
      `SELECT ${this.selectList(columns, 'c')} FROM ${table.qualified} c WHERE ${where} ORDER BY ${order} LIMIT ${args.first} OFFSET ${args.skip}`,
      params.values,
    );
    return rows.map((row) => toRow(table, columns, row, block));
  }

  /** One entity by id; every lookup of a type at a block in the same tick shares one query. */
  async byId(typeName: string, id: string, block: number, fields: Set<string>): Promise<EntityRow | null> {
    const found = await this.batched<string, EntityRow>(
      `id:${typeName}@${block}`,
      id,
      id,
      fields,
      async (ids, wanted) => {
        const table = this.store.layout.table(typeName);
        const columns = this.columns(table, wanted);
        const params = new Params();
        const list = params.add(
          [...ids.keys()].map((key) => idParam(table, key)),
          `${idSqlType(table)}[]`,
        );
        const rows = await this.store.sql.query(
          `SELECT ${this.selectList(columns, 'c')} FROM ${table.qualified} c WHERE c.id = ANY(${list}) AND ${blockCondition(table, 'c', block, params)}`,
          params.values,
        );
        // `id` arrives in output form, which is the canonical id text.
        return new Map(rows.map((row) => [String(row.id), toRow(table, columns, row, block)]));
      },
    );
    return found.get(id) ?? null;
  }

  /**
   * The children of `parent` through `link`, windowed per parent by `args`; all parents of the same
   * field, arguments and block in this tick are answered by one SQL query.
   */
  async children(
    parent: EntityRow,
    childType: string,
    link: ChildLink,
    args: RangeArgs,
    fields: Set<string>,
  ): Promise<EntityRow[]> {
    const parentId = String(parent.data.id);
    const key = `children:${parent.__typename}>${childType}:${link.kind}:${link.kind === 'derived' ? link.childField : link.parentField}@${parent.__block}:${JSON.stringify(args)}`;
    const found = await this.batched<EntityRow, EntityRow[]>(key, parentId, parent, fields, (parents, wanted) =>
      this.window(parent.__typename, childType, link, parents, args, parent.__block, wanted),
    );
    return found.get(parentId) ?? [];
  }

  private async window(
    parentType: string,
    childType: string,
    link: ChildLink,
    parents: Map<string, EntityRow>,
    args: RangeArgs,
    block: number,
    fields: Set<string>,
  ): Promise<Map<string, EntityRow[]>> {
    const layout = this.store.layout;
    const parentTable = layout.table(parentType);
    const child = layout.table(childType);
    const params = new Params();
    let from: string;
    let match: string;
    if (link.kind === 'derived') {
      const fk = child.columns.find((c) => c.field.name === link.childField);
      if (!fk) throw new QueryError(`derived field points at ${childType}.${link.childField}, which is not stored`);
      const ids = params.add(
        [...parents.keys()].map((id) => idParam(parentTable, id)),
        `${idSqlType(parentTable)}[]`,
      );
      from = `unnest(${ids}) AS p(id)`;
      match = fk.field.list ? `p.id = ANY(c.${quote(fk.name)})` : `c.${quote(fk.name)} = p.id`;
    } else {
      // graph-node's children_type_c: one `(parent id, child ids)` row per parent.
      const tuples: string[] = [];
      for (const [id, row] of parents) {
        const childIds = (row.data[link.parentField] as string[] | null | undefined) ?? [];
        if (childIds.length === 0) continue;
        const parentParam = params.add(idParam(parentTable, id), idSqlType(parentTable));
        const childParam = params.add(
          childIds.map((childId) => idParam(child, childId)),
          `${idSqlType(child)}[]`,
        );
        tuples.push(`(${parentParam}, ${childParam})`);
      }
      if (tuples.length === 0) return new Map();
      from = `(VALUES ${tuples.join(', ')}) AS p(id, child_ids)`;
      match = 'c.id = ANY(p.child_ids)';
    }
    const filter = compileFilter(layout, child, 'c', args.where, block, params);
    const inner = `SELECT c.* FROM ${child.qualified} c WHERE ${blockCondition(child, 'c', block, params)} AND ${match} AND ${filter} ORDER BY ${compileOrder(layout, child, 'c', args.orderBy, args.orderDirection, block, params)} LIMIT ${args.first} OFFSET ${args.skip}`;
    const columns = this.columns(child, fields);
    const rows = await this.store.sql.query(
      `SELECT p.id AS "parent$", ${this.selectList(columns, 'c')} FROM ${from} CROSS JOIN LATERAL (${inner}) c ORDER BY p.id, ${compileOrder(layout, child, 'c', args.orderBy, args.orderDirection, block, params)}`,
      params.values,
    );
    const byParent = new Map<string, EntityRow[]>();
    for (const row of rows) {
      const id = idOf(parentTable, row.parent$);
      const list = byParent.get(id) ?? [];
      list.push(toRow(child, columns, row, block));
      byParent.set(id, list);
    }
    return byParent;
  }

  private columns(table: Table, fields: Set<string>): Column[] {
    return table.columns.filter((c) => c.name === 'id' || fields.has(c.field.name));
  }

  private selectList(columns: Column[], alias: string): string {
    return columns.map((c) => `${selectExpression(c, alias)} AS ${quote(c.name)}`).join(', ');
  }

  private batched<V, R>(
    key: string,
    id: string,
    item: V,
    fields: Set<string>,
    run: (items: Map<string, V>, fields: Set<string>) => Promise<Map<string, R>>,
  ): Promise<Map<string, R>> {
    let batch = this.batches.get(key) as Batch<V, R> | undefined;
    if (!batch) {
      const created: Batch<V, R> = { items: new Map(), fields: new Set(), promise: Promise.resolve(new Map()) };
      // Runs after the resolvers of this tick have added their parents (graphql-js resolves the
      // fields of all items of a list synchronously).
      created.promise = Promise.resolve().then(() => {
        this.batches.delete(key);
        return run(created.items, created.fields);
      });
      this.batches.set(key, created as Batch<unknown, unknown>);
      batch = created;
    }
    batch.items.set(id, item);
    for (const field of fields) batch.fields.add(field);
    return batch.promise;
  }
}

function toRow(table: Table, columns: Column[], row: Record<string, unknown>, block: number): EntityRow {
  const data: Record<string, unknown> = {};
  for (const column of columns) data[column.field.name] = outputOf(column, row[column.name]);
  return { __typename: table.type.name, __block: block, data };
}
