// The subgraph schema (schema.graphql) as the indexer's layers need it: entity types with their
// id type, immutability and fields, interfaces and enums. Parsed with graphql-js.
import { type FieldDefinitionNode, Kind, parse, type TypeNode } from 'graphql';

export class SchemaError extends Error {}

export interface Field {
  name: string;
  kind: 'scalar' | 'enum' | 'reference';
  /** 'ID'|'String'|'Int'|'Int8'|'BigInt'|'BigDecimal'|'Boolean'|'Bytes'|'Timestamp', or the enum/entity name. */
  baseType: string;
  list: boolean;
  nullable: boolean;
  derivedFrom: string | null;
}

export interface EntityType {
  name: string;
  immutable: boolean;
  timeseries: boolean;
  idType: 'String' | 'Bytes' | 'Int8';
  fields: Field[];
  fieldsByName: Map<string, Field>;
  interfaces: string[];
}

export interface InterfaceType {
  name: string;
  fields: Field[];
  implementedBy: string[];
}

export interface SubgraphSchema {
  entityTypes: Map<string, EntityType>;
  interfaces: Map<string, InterfaceType>;
  enums: Map<string, string[]>;
}

export const SCALARS = new Set([
  'ID',
  'String',
  'Int',
  'Int8',
  'BigInt',
  'BigDecimal',
  'Boolean',
  'Bytes',
  'Timestamp',
]);

function unwrap(type: TypeNode): { name: string; list: boolean; nullable: boolean } {
  let nullable = true;
  let node = type;
  if (node.kind === Kind.NON_NULL_TYPE) {
    nullable = false;
    node = node.type;
  }
  let list = false;
  if (node.kind === Kind.LIST_TYPE) {
    list = true;
    node = node.type;
    if (node.kind === Kind.NON_NULL_TYPE) node = node.type;
  }
  if (node.kind !== Kind.NAMED_TYPE) throw new SchemaError('nested lists are not supported in subgraph schemas');
  return { name: node.name.value, list, nullable };
}

function directiveArgument(
  field: {
    directives?: readonly {
      name: { value: string };
      arguments?: readonly { name: { value: string }; value: { kind: string } }[];
    }[];
  },
  directive: string,
  argument: string,
): unknown {
  const found = field.directives?.find((d) => d.name.value === directive);
  if (!found) return undefined;
  const arg = found.arguments?.find((a) => a.name.value === argument);
  if (!arg) return null;
  const value = arg.value as { kind: string; value?: unknown };
  return value.value ?? null;
}

export function parseSchema(sdl: string): SubgraphSchema {
  let document: ReturnType<typeof parse>;
  try {
    document = parse(sdl);
  } catch (error) {
    throw new SchemaError(`schema.graphql does not parse: ${(error as Error).message}`);
  }
  const enums = new Map<string, string[]>();
  const interfaceNames = new Set<string>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION) {
      enums.set(
        definition.name.value,
        (definition.values ?? []).map((v) => v.name.value),
      );
    }
    if (definition.kind === Kind.INTERFACE_TYPE_DEFINITION) interfaceNames.add(definition.name.value);
  }
  const entityNames = new Set(
    document.definitions.flatMap((d) =>
      d.kind === Kind.OBJECT_TYPE_DEFINITION && d.directives?.some((x) => x.name.value === 'entity')
        ? [d.name.value]
        : [],
    ),
  );
  const toField = (owner: string, node: FieldDefinitionNode): Field => {
    const { name, list, nullable } = unwrap(node.type);
    const kind = SCALARS.has(name) ? 'scalar' : enums.has(name) ? 'enum' : 'reference';
    if (kind === 'reference' && !entityNames.has(name) && !interfaceNames.has(name)) {
      throw new SchemaError(
        `field ${owner}.${node.name.value} has type ${name}, which is not an entity, interface, enum or scalar`,
      );
    }
    const derived = directiveArgument(node, 'derivedFrom', 'field');
    return {
      name: node.name.value,
      kind,
      baseType: name,
      list,
      nullable,
      derivedFrom: typeof derived === 'string' ? derived : null,
    };
  };
  const entityTypes = new Map<string, EntityType>();
  const interfaces = new Map<string, InterfaceType>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      const name = definition.name.value;
      interfaces.set(name, { name, fields: (definition.fields ?? []).map((f) => toField(name, f)), implementedBy: [] });
    }
  }
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || !entityNames.has(definition.name.value)) continue;
    const name = definition.name.value;
    const fields = (definition.fields ?? []).map((f) => toField(name, f));
    const id = fields.find((f) => f.name === 'id');
    if (!id || id.list || id.nullable) throw new SchemaError(`entity ${name} needs a non-null \`id\` field`);
    const idType = id.baseType === 'ID' || id.baseType === 'String' ? 'String' : id.baseType;
    if (idType !== 'String' && idType !== 'Bytes' && idType !== 'Int8') {
      throw new SchemaError(`entity ${name}: id must be ID, String, Bytes or Int8, not ${id.baseType}`);
    }
    const entityDirective = definition.directives?.find((d) => d.name.value === 'entity');
    const flag = (arg: string) =>
      entityDirective?.arguments?.some((a) => a.name.value === arg && a.value.kind === Kind.BOOLEAN && a.value.value) ??
      false;
    const implemented = (definition.interfaces ?? []).map((i) => i.name.value);
    for (const iface of implemented) interfaces.get(iface)?.implementedBy.push(name);
    entityTypes.set(name, {
      name,
      immutable: flag('immutable') || flag('timeseries'),
      timeseries: flag('timeseries'),
      idType,
      fields,
      fieldsByName: new Map(fields.map((f) => [f.name, f])),
      interfaces: implemented,
    });
  }
  return { entityTypes, interfaces, enums };
}
