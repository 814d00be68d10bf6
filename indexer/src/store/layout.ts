// How a subgraph schema maps to tables (graph-node store/postgres/src/relational.rs): one table per
// entity type in the deployment's own Postgres schema, snake_case names, mutable entities versioned
// by `block_range int4range` and indexed by GiST on `(id, block_range)`, immutable ones stamped with
// `block$`.
import type { EntityType, Field, SubgraphSchema } from '../schema/schema.js';
import type { Entity, Value } from '../schema/value.js';
import { format as formatDecimal, fromString as parseDecimal } from '../wasm/big-decimal.js';

export const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
export const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

const SQL_TYPE: Record<string, string> = {
  ID: 'text',
  String: 'text',
  Int: 'int4',
  Int8: 'int8',
  BigInt: 'numeric',
  BigDecimal: 'numeric',
  Boolean: 'bool',
  Bytes: 'bytea',
  Timestamp: 'int8',
};

export interface Column {
  field: Field;
  name: string;
  /** The scalar the column stores (a reference stores its target's id type). */
  scalar: string;
  sqlType: string;
}

export interface Table {
  type: EntityType;
  name: string;
  /** `"schema"."table"` */
  qualified: string;
  columns: Column[];
  idScalar: string;
}

export class Layout {
  readonly tables = new Map<string, Table>();

  constructor(
    readonly schema: SubgraphSchema,
    readonly namespace: string,
  ) {
    const idScalar = (typeName: string): string => {
      const type =
        schema.entityTypes.get(typeName) ??
        schema.entityTypes.get(schema.interfaces.get(typeName)?.implementedBy[0] ?? '');
      return type?.idType ?? 'String';
    };
    for (const type of schema.entityTypes.values()) {
      const columns = type.fields
        .filter((field) => !field.derivedFrom)
        .map((field) => {
          const scalar =
            field.kind === 'scalar' ? field.baseType : field.kind === 'enum' ? 'String' : idScalar(field.baseType);
          const base = SQL_TYPE[scalar] ?? 'text';
          return { field, name: snake(field.name), scalar, sqlType: field.list ? `${base}[]` : base };
        });
      const name = snake(type.name);
      this.tables.set(type.name, {
        type,
        name,
        qualified: `${quote(namespace)}.${quote(name)}`,
        columns,
        idScalar: type.idType,
      });
    }
  }

  table(typeName: string): Table {
    const table = this.tables.get(typeName);
    if (!table) throw new Error(`no table for entity type ${typeName}`);
    return table;
  }

  /**
   * The deployment's tables with the indexes that writes and the runner's own reads need: the
   * primary key on `vid`, the partial index of current versions that closing a version looks up,
   * and for immutable types the unique id and the `block$` index a revert deletes by. The
   * indexes only GraphQL uses follow unless `postponeIndexes`: then
   * `DeploymentStore.createPostponedIndexes` creates them once the deployment is synced
   * (graph-node: store/postgres/src/relational/ddl.rs `Table::as_ddl` leaves out what
   * store/postgres/src/relational/index.rs `CreateIndex::to_postpone` selects). Those are the
   * attribute indexes, as in graph-node, and also a mutable table's GiST `(id, block_range)`
   * index, which graph-node builds at once because its writer reads versions through it. The
   * runner keeps the current entities in memory instead, and maintaining a GiST index took a
   * third to a half of PGlite's write time (indexer README, "Store write benchmark"); meanwhile
   * the btree on `id`, which graph-node never postpones either, serves GraphQL's lookups by id.
   */
  ddl(options: { postponeIndexes: boolean }): string[] {
    const checkBlockRanges = process.env.INDEXER_CHECK_BLOCK_RANGES === '1';
    const statements = [`CREATE SCHEMA IF NOT EXISTS ${quote(this.namespace)}`];
    for (const table of this.tables.values()) {
      const columns = table.columns.map(
        (c) => `${quote(c.name)} ${c.sqlType}${c.field.nullable || c.name === 'id' ? '' : ' NOT NULL'}`,
      );
      if (table.type.immutable) {
        statements.push(
          `CREATE TABLE IF NOT EXISTS ${table.qualified} (vid bigserial PRIMARY KEY, ${columns.join(', ')}, "block$" int4 NOT NULL, UNIQUE (id))`,
          `CREATE INDEX IF NOT EXISTS ${quote(`${table.name}_block`)} ON ${table.qualified} ("block$")`,
        );
      } else {
        // graph-node's release builds index (id, block_range) with GiST and create the exclusion
        // constraint (no two versions of an id overlap) only in debug builds, for its cost on
        // every write (store/postgres/src/relational/ddl.rs, CREATE_EXCLUSION_CONSTRAINT); the
        // tests here turn it on with INDEXER_CHECK_BLOCK_RANGES=1.
        const versions = checkBlockRanges ? ', EXCLUDE USING gist (id WITH =, block_range WITH &&)' : '';
        statements.push(
          `CREATE TABLE IF NOT EXISTS ${table.qualified} (vid bigserial PRIMARY KEY, ${columns.join(', ')}, block_range int4range NOT NULL${versions})`,
          `CREATE INDEX IF NOT EXISTS ${quote(`${table.name}_current`)} ON ${table.qualified} (id) WHERE upper_inf(block_range)`,
        );
        statements.push(attributeIndex(table, 'id'));
      }
    }
    if (!options.postponeIndexes) statements.push(...this.postponableIndexes(checkBlockRanges));
    return statements;
  }

  /** What `ddl` leaves to `createPostponedIndexes` (with the exclusion constraint, no GiST index). */
  private postponableIndexes(checkBlockRanges: boolean): string[] {
    const statements: string[] = [];
    for (const table of this.tables.values()) {
      if (!table.type.immutable && !checkBlockRanges) {
        statements.push(
          `CREATE INDEX IF NOT EXISTS ${quote(`${table.name}_id_block_range`)} ON ${table.qualified} USING gist (id, block_range)`,
        );
      }
    }
    return statements.concat(this.attributeIndexes());
  }

  /**
   * Like graph-node, an index per attribute, so filters and orderings on any field avoid full
   * scans (store/postgres/src/relational/ddl.rs `Table::add_attribute_indexes`). But the id: an
   * immutable table's has its UNIQUE constraint, and a mutable table's B-tree (graph-node's
   * `columns_to_index` indexes it like an attribute; lookups of many ids at a block, `id =
   * any(…)`, use it) is created with the table, since graph-node never postpones it either
   * (relational/index.rs `to_postpone`) and GraphQL's lookups by id go through it while the GiST
   * index waits.
   */
  private attributeIndexes(): string[] {
    const statements: string[] = [];
    for (const table of this.tables.values()) {
      for (const column of table.columns) {
        if (column.field.list || column.name === 'id') continue;
        statements.push(attributeIndex(table, column.name));
      }
    }
    return statements;
  }
}

function attributeIndex(table: Table, column: string): string {
  return `CREATE INDEX IF NOT EXISTS ${quote(`${table.name}__${column}`)} ON ${table.qualified} (${quote(column)})`;
}

/** A value as a SQL parameter of its column. */
export function toSql(value: Value | undefined): unknown {
  if (!value || value.kind === 'Null') return null;
  if (value.kind === 'List') return value.value.map((item) => scalarToSql(item));
  return scalarToSql(value);
}

function scalarToSql(value: Value): unknown {
  switch (value.kind) {
    case 'Bytes':
      // As it is: pg and PGlite bind any Uint8Array as bytea (values are immutable, no copy).
      return value.value;
    case 'BigInt':
    case 'Int8':
    case 'Timestamp':
      return value.value.toString();
    case 'Null':
      return null;
    case 'List':
      return value.value.map(scalarToSql);
    default:
      return value.value;
  }
}

/**
 * A value as one element of its column's array in a bulk insert (`unnest($1::numeric[], …)`).
 * `unnest` flattens nested arrays, so a list value travels as the text of its array literal and
 * is cast back to the column type in the statement (see `bulkParamType`).
 */
export function toBulkSql(column: Column, value: Value | undefined): unknown {
  if (!column.field.list) return toSql(value);
  const list = toSql(value);
  return Array.isArray(list) ? arrayLiteral(list) : null;
}

/** The array type a column's values are bound as in a bulk insert. */
export function bulkParamType(column: Column): string {
  return column.field.list ? 'text[]' : `${column.sqlType}[]`;
}

/** Postgres array-literal text of a list of SQL values (every element quoted, NULL bare). */
function arrayLiteral(items: unknown[]): string {
  const element = (item: unknown): string => {
    if (item === null || item === undefined) return 'NULL';
    if (Array.isArray(item)) return arrayLiteral(item);
    const text = item instanceof Uint8Array ? `\\x${Buffer.from(item).toString('hex')}` : String(item);
    return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  };
  return `{${items.map(element).join(',')}}`;
}

/** A column's SQL value back as the entity value (numeric and int8 arrive as text). */
export function fromSql(scalar: string, raw: unknown): Value {
  if (raw === null || raw === undefined) return { kind: 'Null' };
  if (Array.isArray(raw)) return { kind: 'List', value: raw.map((item) => fromSql(scalar, item)) };
  switch (scalar) {
    case 'Int':
      return { kind: 'Int', value: Number(raw) };
    case 'Int8':
      return { kind: 'Int8', value: BigInt(String(raw)) };
    case 'Timestamp':
      return { kind: 'Timestamp', value: BigInt(String(raw)) };
    case 'BigInt':
      return { kind: 'BigInt', value: BigInt(String(raw)) };
    case 'BigDecimal':
      return { kind: 'BigDecimal', value: formatDecimal(parseDecimal(String(raw))) };
    case 'Boolean':
      return { kind: 'Bool', value: Boolean(raw) };
    case 'Bytes':
      return { kind: 'Bytes', value: Uint8Array.from(raw as Uint8Array) };
    default:
      return { kind: 'String', value: String(raw) };
  }
}

export function rowToEntity(table: Table, row: Record<string, unknown>): Entity {
  const entity: Entity = new Map();
  for (const column of table.columns) {
    const value = fromSql(column.scalar, row[column.name]);
    if (value.kind !== 'Null') entity.set(column.field.name, value);
  }
  return entity;
}

/** Canonical id text of a row's id column. */
export function idOf(table: Table, raw: unknown): string {
  if (table.idScalar === 'Bytes') return `0x${Buffer.from(raw as Uint8Array).toString('hex')}`;
  return String(raw);
}

/** An id in canonical text as a SQL parameter. */
export function idParam(table: Table, id: string): unknown {
  if (table.idScalar === 'Bytes') return Buffer.from(id.slice(2), 'hex');
  return id;
}
