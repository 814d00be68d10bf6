// graph-node's query API generated from a subgraph schema (graph/src/schema/api.rs): for every
// entity type `entity(id, block, subgraphError)` and `entities(skip, first, orderBy,
// orderDirection, where, block, subgraphError)`, filters per field type, derived fields with their
// own arguments, `_meta`. Resolvers read the versioned store with one SQL query per entity type
// and nesting level (references and derived fields are loaded in batches).
import {
  type GraphQLEnumType as EnumType,
  GraphQLBoolean,
  GraphQLEnumType,
  type GraphQLFieldConfigMap,
  GraphQLID,
  GraphQLInputObjectType,
  type GraphQLInputType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLOutputType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  Kind,
} from 'graphql';
import type { Field, SubgraphSchema } from '../schema/schema.js';
import type { BlockPtr, Value } from '../schema/value.js';
import type { DeploymentStore } from '../store/deployment-store.js';
import { idOf, idParam, quote, rowToEntity, type Table } from '../store/layout.js';
import { pluralField, singularField } from './names.js';
import { blockCondition, compileFilter, compileOrder, operatorsFor, Params, QueryError } from './sql-query.js';

export interface QueryLimits {
  maxFirst: number;
  maxSkip: number;
}

/** Per request: the store, the head, and batches of pending loads. */
export interface RequestContext {
  store: DeploymentStore;
  deployment: string;
  name: string;
  head: BlockPtr | null;
  hasIndexingErrors: boolean;
  batches: Map<string, Batch>;
}

interface Batch {
  ids: Set<string>;
  promise: Promise<Map<string, EntityRow>>;
}

/** An entity as resolvers pass it around. */
export interface EntityRow {
  __typename: string;
  __block: number;
  values: Map<string, Value>;
}

const stringScalar = (name: string, description: string) =>
  new GraphQLScalarType({
    name,
    description,
    serialize: (value) => String(value),
    parseValue: (value) => String(value),
    parseLiteral: (ast) => {
      if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return ast.value;
      throw new QueryError(`${name} must be a string`);
    },
  });

export const BigIntScalar = stringScalar('BigInt', 'Arbitrary-size integer, as a decimal string');
export const BigDecimalScalar = stringScalar('BigDecimal', 'Arbitrary-precision decimal, as a string');
export const BytesScalar = stringScalar('Bytes', 'Byte array, as lower-case 0x-prefixed hex');
export const Int8Scalar = stringScalar('Int8', '8-byte integer, as a decimal string');
export const TimestampScalar = stringScalar('Timestamp', 'Microseconds since the Unix epoch, as a decimal string');

const SCALAR_OUT: Record<string, GraphQLScalarType> = {
  ID: GraphQLID,
  String: GraphQLString,
  Int: GraphQLInt,
  Boolean: GraphQLBoolean,
  BigInt: BigIntScalar,
  BigDecimal: BigDecimalScalar,
  Bytes: BytesScalar,
  Int8: Int8Scalar,
  Timestamp: TimestampScalar,
};

function output(value: Value): unknown {
  switch (value.kind) {
    case 'Bytes':
      return `0x${Buffer.from(value.value).toString('hex')}`;
    case 'BigInt':
    case 'Int8':
    case 'Timestamp':
      return value.value.toString();
    case 'List':
      return value.value.map(output);
    case 'Null':
      return null;
    default:
      return value.value;
  }
}

export function buildApiSchema(schema: SubgraphSchema, limits: QueryLimits): GraphQLSchema {
  const orderDirection = new GraphQLEnumType({ name: 'OrderDirection', values: { asc: {}, desc: {} } });
  const errorPolicy = new GraphQLEnumType({ name: '_SubgraphErrorPolicy_', values: { allow: {}, deny: {} } });
  const blockHeight = new GraphQLInputObjectType({
    name: 'Block_height',
    fields: { hash: { type: BytesScalar }, number: { type: GraphQLInt }, number_gte: { type: GraphQLInt } },
  });
  const blockChanged = new GraphQLInputObjectType({
    name: 'BlockChangedFilter',
    fields: { number_gte: { type: new GraphQLNonNull(GraphQLInt) } },
  });
  const enums = new Map<string, EnumType>(
    [...schema.enums].map(([name, values]) => [
      name,
      new GraphQLEnumType({ name, values: Object.fromEntries(values.map((v) => [v, {}])) }),
    ]),
  );
  const objects = new Map<string, GraphQLObjectType>();
  const filters = new Map<string, GraphQLInputObjectType>();
  const orderBys = new Map<string, GraphQLEnumType>();

  const scalarOf = (field: Field): string => {
    if (field.kind === 'scalar') return field.baseType;
    if (field.kind === 'enum') return 'String';
    return schema.entityTypes.get(field.baseType)?.idType ?? 'String';
  };
  const inputScalar = (field: Field): GraphQLInputType => {
    if (field.kind === 'enum') return enums.get(field.baseType) as EnumType;
    if (field.kind === 'reference') return GraphQLString;
    return SCALAR_OUT[field.baseType] ?? GraphQLString;
  };

  for (const type of schema.entityTypes.values()) {
    filters.set(
      type.name,
      new GraphQLInputObjectType({
        name: `${type.name}_filter`,
        fields: () => {
          const fields: Record<string, { type: GraphQLInputType }> = {};
          for (const field of type.fields) {
            const base = inputScalar(field);
            for (const op of operatorsFor(field, scalarOf(field))) {
              const list = field.list || op === '_in' || op === '_not_in';
              fields[`${field.name}${op}`] = { type: list ? new GraphQLList(new GraphQLNonNull(base)) : base };
            }
            if (field.kind === 'reference' && filters.has(field.baseType)) {
              fields[`${field.name}_`] = { type: filters.get(field.baseType) as GraphQLInputObjectType };
            }
          }
          const self = filters.get(type.name) as GraphQLInputObjectType;
          fields._change_block = { type: blockChanged };
          fields.and = { type: new GraphQLList(self) };
          fields.or = { type: new GraphQLList(self) };
          return fields;
        },
      }),
    );
    orderBys.set(
      type.name,
      new GraphQLEnumType({
        name: `${type.name}_orderBy`,
        // Scalar fields, and `parent__child` for a non-list reference's scalar fields (graph-node 0.30+).
        values: Object.fromEntries(
          type.fields
            .filter((f) => !f.list && !f.derivedFrom)
            .flatMap((f) => {
              const own: Array<[string, object]> = [[f.name, {}]];
              const target = f.kind === 'reference' ? schema.entityTypes.get(f.baseType) : undefined;
              const nested = (target?.fields ?? [])
                .filter((c) => !c.list && !c.derivedFrom && c.kind !== 'reference')
                .map((c): [string, object] => [`${f.name}__${c.name}`, {}]);
              return [...own, ...nested];
            }),
        ),
      }),
    );
  }

  const collectionArgs = (typeName: string) => ({
    skip: { type: GraphQLInt, defaultValue: 0 },
    first: { type: GraphQLInt, defaultValue: 100 },
    orderBy: { type: orderBys.get(typeName) as GraphQLEnumType },
    orderDirection: { type: orderDirection },
    where: { type: filters.get(typeName) as GraphQLInputObjectType },
  });

  for (const type of schema.entityTypes.values()) {
    objects.set(
      type.name,
      new GraphQLObjectType({
        name: type.name,
        fields: () => {
          const fields: GraphQLFieldConfigMap<EntityRow, RequestContext> = {};
          for (const field of type.fields) {
            let out: GraphQLOutputType =
              field.kind === 'reference'
                ? (objects.get(field.baseType) as GraphQLObjectType)
                : field.kind === 'enum'
                  ? (enums.get(field.baseType) as EnumType)
                  : (SCALAR_OUT[field.baseType] ?? GraphQLString);
            if (field.list) out = new GraphQLList(new GraphQLNonNull(out));
            if (!field.nullable) out = new GraphQLNonNull(out);
            if (field.derivedFrom) {
              fields[field.name] = {
                type: out,
                args: collectionArgs(field.baseType),
                resolve: (parent, args, ctx) => loadDerived(ctx, parent, field, args as CollectionArgs, limits),
              };
            } else if (field.kind === 'reference') {
              fields[field.name] = {
                type: out,
                args: field.list ? collectionArgs(field.baseType) : {},
                resolve: (parent, args, ctx) => loadReferences(ctx, parent, field, args as CollectionArgs),
              };
            } else {
              fields[field.name] = {
                type: out,
                resolve: (parent) => {
                  const value = parent.values.get(field.name);
                  return value ? output(value) : null;
                },
              };
            }
          }
          return fields;
        },
      }),
    );
  }

  const metaBlock = new GraphQLObjectType({
    name: '_Block_',
    fields: {
      hash: { type: BytesScalar },
      number: { type: new GraphQLNonNull(GraphQLInt) },
      timestamp: { type: GraphQLInt },
      parentHash: { type: BytesScalar },
    },
  });
  const meta = new GraphQLObjectType({
    name: '_Meta_',
    fields: {
      block: { type: new GraphQLNonNull(metaBlock) },
      deployment: { type: new GraphQLNonNull(GraphQLString) },
      hasIndexingErrors: { type: new GraphQLNonNull(GraphQLBoolean) },
    },
  });

  const query: GraphQLFieldConfigMap<unknown, RequestContext> = {};
  for (const type of schema.entityTypes.values()) {
    const object = objects.get(type.name) as GraphQLObjectType;
    query[singularField(type.name)] = {
      type: object,
      args: {
        id: { type: new GraphQLNonNull(GraphQLID) },
        block: { type: blockHeight },
        subgraphError: { type: errorPolicy, defaultValue: 'deny' },
      },
      resolve: async (_root, args, ctx) => {
        const block = resolveBlock(ctx, args.block);
        const rows = await loadByIds(ctx, type.name, [String(args.id).toLowerCase()], block);
        return rows.get(String(args.id).toLowerCase()) ?? null;
      },
    };
    query[pluralField(type.name)] = {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(object))),
      args: {
        ...collectionArgs(type.name),
        block: { type: blockHeight },
        subgraphError: { type: errorPolicy, defaultValue: 'deny' },
      },
      resolve: (_root, args, ctx) =>
        loadCollection(ctx, type.name, args as CollectionArgs, resolveBlock(ctx, args.block), limits),
    };
  }
  query._meta = {
    type: meta,
    args: { block: { type: blockHeight } },
    resolve: (_root, args, ctx) => {
      const number = resolveBlock(ctx, args.block);
      const head = ctx.head;
      const atHead = head !== null && number === head.number && !args.block?.number;
      return {
        block: {
          number,
          hash: atHead ? head.hash : null,
          timestamp: atHead ? head.timestamp : null,
          parentHash: atHead ? head.parentHash : null,
        },
        deployment: ctx.deployment,
        hasIndexingErrors: ctx.hasIndexingErrors,
      };
    },
  };
  return new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: query }) });
}

interface CollectionArgs {
  skip?: number;
  first?: number;
  orderBy?: string;
  orderDirection?: string;
  where?: Record<string, unknown>;
}

/** The block a query reads (graph-node's errors when it is not indexed yet). */
function resolveBlock(
  ctx: RequestContext,
  block: { number?: number; number_gte?: number; hash?: string } | undefined,
): number {
  const head = ctx.head;
  const indexed = head?.number ?? -1;
  if (block?.hash !== undefined) {
    if (head && block.hash.toLowerCase() === head.hash.toLowerCase()) return head.number;
    throw new QueryError('no block with that hash found');
  }
  const wanted = block?.number ?? block?.number_gte;
  if (wanted !== undefined && wanted > indexed) {
    throw new QueryError(
      `subgraph ${ctx.deployment} has only indexed up to block number ${indexed} and data for block number ${wanted} is therefore not yet available`,
    );
  }
  if (block?.number !== undefined) return block.number;
  return indexed;
}

function checkLimits(args: CollectionArgs, limits: QueryLimits): { first: number; skip: number } {
  const first = args.first ?? 100;
  const skip = args.skip ?? 0;
  if (first < 0 || first > limits.maxFirst) {
    throw new QueryError(`The \`first\` argument must be between 0 and ${limits.maxFirst}, but is ${first}`);
  }
  if (skip < 0 || skip > limits.maxSkip) {
    throw new QueryError(`The \`skip\` argument must be between 0 and ${limits.maxSkip}, but is ${skip}`);
  }
  return { first, skip };
}

function toRow(table: Table, row: Record<string, unknown>, block: number): EntityRow {
  return { __typename: table.type.name, __block: block, values: rowToEntity(table, row) };
}

async function loadCollection(
  ctx: RequestContext,
  typeName: string,
  args: CollectionArgs,
  block: number,
  limits: QueryLimits,
): Promise<EntityRow[]> {
  const { first, skip } = checkLimits(args, limits);
  const layout = ctx.store.layout;
  const table = layout.table(typeName);
  const params = new Params();
  const where = `${blockCondition(table, 'c', block, params)} AND ${compileFilter(layout, table, 'c', args.where, block, params)}`;
  const sql = `SELECT c.* FROM ${table.qualified} c WHERE ${where} ORDER BY ${compileOrder(layout, table, 'c', args.orderBy, args.orderDirection, block, params)} LIMIT ${first} OFFSET ${skip}`;
  const rows = await ctx.store.sql.query(sql, params.values);
  return rows.map((row) => toRow(table, row, block));
}

/** Loads entities by id, batching every request for the same type and block in this tick. */
function loadByIds(
  ctx: RequestContext,
  typeName: string,
  ids: string[],
  block: number,
): Promise<Map<string, EntityRow>> {
  const key = `${typeName}@${block}`;
  let batch = ctx.batches.get(key);
  if (!batch) {
    const pending: Batch = { ids: new Set(), promise: Promise.resolve(new Map()) };
    pending.promise = Promise.resolve().then(async () => {
      ctx.batches.delete(key);
      const table = ctx.store.layout.table(typeName);
      const params = new Params();
      const idType = table.idScalar === 'Bytes' ? 'bytea[]' : table.idScalar === 'Int8' ? 'int8[]' : 'text[]';
      const list = params.add(
        [...pending.ids].map((id) => idParam(table, id)),
        idType,
      );
      const rows = await ctx.store.sql.query(
        `SELECT c.* FROM ${table.qualified} c WHERE c.id = ANY(${list}) AND ${blockCondition(table, 'c', block, params)}`,
        params.values,
      );
      return new Map(rows.map((row) => [idOf(table, row.id), toRow(table, row, block)]));
    });
    ctx.batches.set(key, pending);
    batch = pending;
  }
  for (const id of ids) batch.ids.add(id);
  return batch.promise;
}

async function loadReferences(
  ctx: RequestContext,
  parent: EntityRow,
  field: Field,
  args: CollectionArgs,
): Promise<unknown> {
  const value = parent.values.get(field.name);
  if (!value || value.kind === 'Null') return field.list ? [] : null;
  const ids = (value.kind === 'List' ? value.value : [value]).map((v) => String(output(v)).toLowerCase());
  const rows = await loadByIds(ctx, field.baseType, ids, parent.__block);
  if (!field.list) return rows.get(ids[0] as string) ?? null;
  const found = ids
    .flatMap((id) => rows.get(id) ?? [])
    .sort((a, b) =>
      String(output(a.values.get('id') as Value)) < String(output(b.values.get('id') as Value)) ? -1 : 1,
    );
  const { first = 100, skip = 0 } = args;
  return found.slice(skip, skip + first);
}

async function loadDerived(
  ctx: RequestContext,
  parent: EntityRow,
  field: Field,
  args: CollectionArgs,
  limits: QueryLimits,
): Promise<EntityRow[]> {
  const { first, skip } = checkLimits(args, limits);
  const layout = ctx.store.layout;
  const child = layout.table(field.baseType);
  const fk = child.columns.find((c) => c.field.name === field.derivedFrom);
  if (!fk)
    throw new QueryError(
      `derived field ${field.name} points at ${field.baseType}.${field.derivedFrom}, which is not stored`,
    );
  const params = new Params();
  const parentTable = layout.table(parent.__typename);
  const parentId = params.add(
    idParam(parentTable, String(output(parent.values.get('id') as Value))),
    fk.sqlType.replace('[]', ''),
  );
  const match = fk.field.list ? `${parentId} = ANY(c.${quote(fk.name)})` : `c.${quote(fk.name)} = ${parentId}`;
  const where = `${match} AND ${blockCondition(child, 'c', parent.__block, params)} AND ${compileFilter(layout, child, 'c', args.where, parent.__block, params)}`;
  const sql = `SELECT c.* FROM ${child.qualified} c WHERE ${where} ORDER BY ${compileOrder(layout, child, 'c', args.orderBy, args.orderDirection, parent.__block, params)} LIMIT ${first} OFFSET ${skip}`;
  const rows = await ctx.store.sql.query(sql, params.values);
  return rows.map((row) => toRow(child, row, parent.__block));
}
