// graph-node's own field check (graphql/src/execution/query.rs `validate_fields`), run after the
// complexity check: every selected field must exist on its type ("Type `Musician` has no field
// `nope`", with the field's location) and every spread fragment must be defined. graph-node runs
// the GraphQL spec's validation silently by default (SILENT_GRAPHQL_VALIDATIONS), so these are the
// texts its users see for such mistakes.
import {
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fieldDefinition } from './complexity.js';

export interface LocatedMessage {
  message: string;
  locations?: Array<{ line: number; column: number }>;
}

export function unknownFields(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): LocatedMessage[] {
  const errors: LocatedMessage[] = [];
  const visit = (type: GraphQLNamedType, set: SelectionSetNode | undefined, seen: ReadonlySet<string>) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const field = fieldDefinition(schema, type, selection.name.value);
        if (!field) {
          const token = selection.loc?.startToken;
          errors.push({
            message: `Type \`${type.name}\` has no field \`${selection.name.value}\``,
            ...(token ? { locations: [{ line: token.line, column: token.column }] } : {}),
          });
          continue;
        }
        const base = getNamedType(field.type);
        if (isObjectType(base) || isInterfaceType(base)) visit(base, selection.selectionSet, seen);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment) {
          errors.push({ message: `fragment \`${name}\` is not defined` });
          continue;
        }
        // Cycles were refused by the complexity check; `seen` keeps this walk finite regardless.
        if (seen.has(name)) continue;
        const target = schema.getType(fragment.typeCondition.name.value);
        if (target) visit(target, fragment.selectionSet, new Set([...seen, name]));
        else errors.push({ message: `Failed to resolve named type \`${fragment.typeCondition.name.value}\`` });
      } else {
        const target = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (target) visit(target, selection.selectionSet, seen);
        else errors.push({ message: `Failed to resolve named type \`${selection.typeCondition?.name.value}\`` });
      }
    }
  };
  const root = schema.getQueryType();
  if (root) visit(root, operation.selectionSet, new Set());
  return errors;
}
