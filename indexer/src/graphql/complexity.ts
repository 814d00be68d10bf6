// graph-node's query depth and complexity (graphql/src/execution/query.rs, `complexity_inner`),
// checked before the query runs. Complexity estimates the entities a query can return: a list
// field counts `first` (a literal, else 100) plus `first` times its children; single objects pass
// their children's count through; leaves count nothing. Every field with a selection set, and
// every fragment, is one level deeper; reaching GRAPH_GRAPHQL_MAX_DEPTH fails. A query graph-node
// cannot type (unknown field or type) counts 0 and is left to validation. Messages are graph-node's
// (graph/src/data/query/error.rs: TooDeep, TooComplex, CyclicalFragment).
import {
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  GraphQLNonNull,
  type GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  SchemaMetaFieldDef,
  type SelectionSetNode,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
} from 'graphql';

const U64_MAX = 2n ** 64n - 1n;
const DEFAULT_FIRST = 100n; // graph-node EntityRange::FIRST

class Invalid extends Error {}
class Failure extends Error {}

/** A field of an object or interface type as graph-node looks it up (`get_field`), introspection included. */
export function fieldDefinition(
  schema: GraphQLSchema,
  type: GraphQLNamedType | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (name === '__typename') return TypeNameMetaFieldDef;
  if (type && type === schema.getQueryType() && name === '__schema') return SchemaMetaFieldDef;
  if (type && type === schema.getQueryType() && name === '__type') return TypeMetaFieldDef;
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

export function tooDeepMessage(maxDepth: number): string {
  return `query has a depth that exceeds the limit of \`${maxDepth}\``;
}

export function tooComplexMessage(complexity: bigint | number, maxComplexity: bigint | number): string {
  return `query potentially returns \`${complexity}\` entities or more and thereby exceeds the limit of \`${maxComplexity}\` entities. Possible solutions are reducing the depth of the query, querying fewer relationships or using \`first\` to return smaller collections`;
}

/**
 * graph-node's check: the error message if the operation is too deep, too complex (only when
 * `maxComplexity` is set, as GRAPH_GRAPHQL_MAX_COMPLEXITY is off by default) or has a fragment
 * cycle; null if it may run.
 */
export function checkComplexity(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  maxDepth: number,
  maxComplexity: number | undefined,
): string | null {
  const root = schema.getQueryType() ?? undefined;
  const fieldOf = (type: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> => {
    const field = fieldDefinition(schema, type, name);
    if (!field) throw new Invalid();
    return field;
  };
  const checked = (n: bigint): bigint => {
    if (n > U64_MAX) throw new Failure(tooComplexMessage(U64_MAX, 0));
    return n;
  };
  const inner = (
    type: GraphQLNamedType | undefined,
    set: SelectionSetNode,
    depth: number,
    visited: ReadonlySet<string>,
  ): bigint => {
    if (depth >= maxDepth) throw new Failure(tooDeepMessage(maxDepth));
    let total = 0n;
    for (const selection of set.selections) {
      let complexity: bigint;
      if (selection.kind === Kind.FIELD) {
        if (!selection.selectionSet || selection.selectionSet.selections.length === 0) continue;
        const field = fieldOf(type, selection.name.value);
        const named = getNamedType(field.type);
        const childComplexity = inner(named, selection.selectionSet, depth + 1, visited);
        const fieldType = field.type instanceof GraphQLNonNull ? field.type.ofType : field.type;
        if (!isListType(fieldType)) {
          complexity = childComplexity;
        } else {
          const first = selection.arguments?.find((a) => a.name.value === 'first')?.value;
          const max = first?.kind === Kind.INT ? BigInt(first.value) : DEFAULT_FIRST;
          complexity = checked(max + checked(max * childComplexity));
        }
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment) throw new Invalid();
        if (visited.has(name)) throw new Failure(`query has fragment cycle including \`${name}\``);
        const target = schema.getType(fragment.typeCondition.name.value);
        if (!target) throw new Invalid();
        complexity = inner(target, fragment.selectionSet, depth + 1, new Set([...visited, name]));
      } else {
        const target = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (!target) throw new Invalid();
        complexity = inner(target, selection.selectionSet, depth + 1, visited);
      }
      total = checked(total + complexity);
    }
    return total;
  };
  try {
    const complexity = inner(root, operation.selectionSet, 0, new Set());
    if (maxComplexity !== undefined && complexity > BigInt(maxComplexity)) {
      return tooComplexMessage(complexity, maxComplexity);
    }
    return null;
  } catch (error) {
    if (error instanceof Invalid) return null;
    if (error instanceof Failure) return error.message;
    throw error;
  }
}
