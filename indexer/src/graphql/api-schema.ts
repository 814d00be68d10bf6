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
  type GraphQLResolveInfo,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import type { Field, SubgraphSchema } from '../schema/schema.js';
import type { BlockPtr } from '../schema/value.js';
import type { ChildLink, EntityReader, EntityRow, RangeArgs } from './entity-reader.js';
import { pluralField, singularField } from './names.js';
import { operatorsFor, QueryError } from './sql-query.js';

export interface QueryLimits {
  maxFirst: number;
  maxSkip: number;
}

/** Per request: the reader (with its pending batches), the head and the deployment's health. */
export interface RequestContext {
  reader: EntityReader;
  deployment: string;
  name: string;
  head: BlockPtr | null;
  hasIndexingErrors: boolean;
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
            if (field.kind === 'reference' && (field.list || field.derivedFrom)) {
              // Derived fields and list references: windowed per parent with their own arguments.
              const link: ChildLink = field.derivedFrom
                ? { kind: 'derived', childField: field.derivedFrom }
                : { kind: 'list', parentField: field.name };
              fields[field.name] = {
                type: out,
                args: field.list ? collectionArgs(field.baseType) : {},
                resolve: async (parent, args, ctx, info) => {
                  const range = field.list ? checkLimits(args as CollectionArgs, limits) : { first: 1, skip: 0 };
                  const rows = await ctx.reader.children(parent, field.baseType, link, range, selectedFields(info));
                  return field.list ? rows : (rows[0] ?? null);
                },
              };
            } else if (field.kind === 'reference') {
              fields[field.name] = {
                type: out,
                resolve: (parent, _args, ctx, info) => {
                  const id = parent.data[field.name];
                  if (id === null || id === undefined) return null;
                  return ctx.reader.byId(field.baseType, String(id), parent.__block, selectedFields(info));
                },
              };
            } else {
              fields[field.name] = { type: out, resolve: (parent) => parent.data[field.name] ?? null };
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
      resolve: (_root, args, ctx, info) =>
        ctx.reader.byId(
          type.name,
          idArgument(schema, type.name, args.id),
          resolveBlock(ctx, args.block),
          selectedFields(info),
        ),
    };
    query[pluralField(type.name)] = {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(object))),
      args: {
        ...collectionArgs(type.name),
        block: { type: blockHeight },
        subgraphError: { type: errorPolicy, defaultValue: 'deny' },
      },
      resolve: (_root, args, ctx, info) =>
        ctx.reader.collection(
          type.name,
          checkLimits(args as CollectionArgs, limits),
          resolveBlock(ctx, args.block),
          selectedFields(info),
        ),
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

function checkLimits(args: CollectionArgs, limits: QueryLimits): RangeArgs {
  const first = args.first ?? 100;
  const skip = args.skip ?? 0;
  if (first < 0 || first > limits.maxFirst) {
    throw new QueryError(`The \`first\` argument must be between 0 and ${limits.maxFirst}, but is ${first}`);
  }
  if (skip < 0 || skip > limits.maxSkip) {
    throw new QueryError(`The \`skip\` argument must be between 0 and ${limits.maxSkip}, but is ${skip}`);
  }
  return { first, skip, orderBy: args.orderBy, orderDirection: args.orderDirection, where: args.where };
}

/** The field names selected under the resolved field (fragments included): the columns to read. */
function selectedFields(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  const visit = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else visit(info.fragments[selection.name.value]?.selectionSet);
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return names;
}

/** An id argument in the store's spelling: Bytes ids are hex, compared lower-case. */
function idArgument(schema: SubgraphSchema, typeName: string, id: unknown): string {
  const text = String(id);
  return schema.entityTypes.get(typeName)?.idType === 'Bytes' ? text.toLowerCase() : text;
}
