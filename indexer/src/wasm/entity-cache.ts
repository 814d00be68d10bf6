// The entities a block's handlers see and change, with graph-node's semantics
// (graph/src/components/store/entity_cache.rs, write.rs): reads see the state at the start of the
// block, then earlier handlers' changes, then this handler's; `set` merges into the current
// entity; a failing handler's changes are dropped; immutables may be set twice in one block but
// never changed across blocks. Type checks follow graph/src/data/store/mod.rs.
import type { EntityType, Field, SubgraphSchema } from '../schema/schema.js';
import type { Entity, EntityChange, EntityId, Value } from '../schema/value.js';
import { keepFieldOrder } from './asc-values.js';

export class DeterministicError extends Error {}

/** Synchronous reads of the state at the start of the block. */
export interface EntityReader {
  get(entityType: string, id: EntityId): Entity | null;
  all(entityType: string): Iterable<Entity>;
}

type Slot = { entity: Entity | null };

export class EntityCache {
  private readonly block = new Map<string, Map<EntityId, Slot>>();
  private handler = new Map<string, Map<EntityId, Slot>>();

  private readonly idTypeOf: (name: string) => string;

  constructor(
    private readonly schema: SubgraphSchema,
    private readonly reader: EntityReader,
  ) {
    // References are keyed by the referenced type's id type (an interface by its implementors').
    this.idTypeOf = (name) =>
      schema.entityTypes.get(name)?.idType ??
      schema.entityTypes.get(schema.interfaces.get(name)?.implementedBy[0] ?? '')?.idType ??
      'String';
  }

  entityType(name: string): EntityType {
    const type = this.schema.entityTypes.get(name);
    if (!type) {
      const kind = this.schema.interfaces.has(name) ? 'an interface' : 'not an entity type of the schema';
      throw new DeterministicError(`Entity type \`${name}\` is ${kind}`);
    }
    return type;
  }

  private slot(layer: Map<string, Map<EntityId, Slot>>, type: string, id: EntityId): Slot | undefined {
    return layer.get(type)?.get(id);
  }

  get(type: string, id: EntityId): Entity | null {
    this.entityType(type);
    const pending = this.slot(this.handler, type, id) ?? this.slot(this.block, type, id);
    if (pending) return pending.entity;
    return this.reader.get(type, id);
  }

  getInBlock(type: string, id: EntityId): Entity | null {
    this.entityType(type);
    return (this.slot(this.handler, type, id) ?? this.slot(this.block, type, id))?.entity ?? null;
  }

  private put(type: string, id: EntityId, entity: Entity | null): void {
    let byId = this.handler.get(type);
    if (!byId) {
      byId = new Map();
      this.handler.set(type, byId);
    }
    byId.set(id, { entity });
  }

  /**
   * `data`: a map of the caller's own, which becomes the entity's (it must not be used after).
   * `existing`: what `get(typeName, id)` returned, when the caller just asked.
   */
  set(
    typeName: string,
    id: EntityId,
    data: Entity,
    strictFields: boolean,
    existing: Entity | null = this.get(typeName, id),
  ): void {
    const type = this.entityType(typeName);
    const given = data.get('id');
    // An id value the entity already holds matched its id when it was set.
    if (given && given.kind !== 'Null' && given !== existing?.get('id') && idText(given) !== id) {
      throw new DeterministicError(
        `Value of {} attribute 'id' conflicts with ID passed to \`store.set()\`: ${idText(given)} != ${id}`.replace(
          '{}',
          typeName,
        ),
      );
    }
    if (type.immutable && existing && this.reader.get(typeName, id) !== null) {
      throw new DeterministicError(`Immutable entity ${typeName}[${id}] cannot be updated`);
    }
    const plan = checkPlan(type, this.idTypeOf);
    const scan = scanGiven(plan, existing, data, strictFields);
    if (scan) {
      this.put(typeName, id, takeOver(type, id, existing, data, scan));
      return;
    }
    // Something is wrong: the full check, in graph-node's order, names the first problem.
    checkGivenFields(plan, id, data, strictFields);
    const merged = copyMerged(type, id, existing, data);
    checkValues(plan, id, merged, existing);
    this.put(typeName, id, merged);
  }

  remove(typeName: string, id: EntityId): void {
    const type = this.entityType(typeName);
    if (type.immutable && this.reader.get(typeName, id) !== null) {
      throw new DeterministicError(`Immutable entity ${typeName}[${id}] cannot be removed`);
    }
    this.put(typeName, id, null);
  }

  /** Entities of `typeName` whose `field` references `id` (store.loadRelated). */
  related(parentType: string, parentId: EntityId, derivedField: string): Entity[] {
    const parent = this.entityType(parentType);
    const field = parent.fieldsByName.get(derivedField);
    if (!field?.derivedFrom) {
      throw new DeterministicError(`Entity ${parentType}: field \`${derivedField}\` is not a derived field`);
    }
    const childType = this.entityType(field.baseType);
    const matches = (entity: Entity) => {
      const value = entity.get(field.derivedFrom as string);
      if (!value) return false;
      if (value.kind === 'List') return value.value.some((item) => idText(item) === parentId);
      return idText(value) === parentId;
    };
    const result = new Map<EntityId, Entity>();
    for (const entity of this.reader.all(childType.name)) {
      const id = idText(entity.get('id') as Value);
      if (matches(entity)) result.set(id, entity);
    }
    for (const layer of [this.block, this.handler]) {
      for (const [id, slot] of layer.get(childType.name) ?? []) {
        if (slot.entity && matches(slot.entity)) result.set(id, slot.entity);
        else result.delete(id);
      }
    }
    return [...result.values()];
  }

  /** A handler finished: its changes become visible to the rest of the block. */
  commitHandler(): void {
    for (const [type, byId] of this.handler) {
      let target = this.block.get(type);
      if (!target) {
        target = new Map();
        this.block.set(type, target);
      }
      for (const [id, slot] of byId) target.set(id, slot);
    }
    this.handler = new Map();
  }

  discardHandler(): void {
    this.handler = new Map();
  }

  /** The block's net changes: the full entity for each set, or its removal. */
  changes(): EntityChange[] {
    const changes: EntityChange[] = [];
    for (const [entityType, byId] of this.block) {
      for (const [id, slot] of byId) {
        if (slot.entity) changes.push({ op: 'set', entityType, id, data: slot.entity });
        else if (this.reader.get(entityType, id) !== null) changes.push({ op: 'remove', entityType, id });
      }
    }
    return changes;
  }
}

export function idText(value: Value): EntityId {
  switch (value.kind) {
    case 'String':
      return value.value;
    case 'Bytes':
      return `0x${Buffer.from(value.value).toString('hex')}`;
    case 'Int8':
    case 'BigInt':
      return value.value.toString();
    case 'Int':
      return String(value.value);
    default:
      throw new DeterministicError(`an entity id cannot be a ${value.kind}`);
  }
}

function idValue(type: EntityType, id: EntityId): Value {
  if (type.idType === 'Bytes') return { kind: 'Bytes', value: Uint8Array.from(Buffer.from(id.slice(2), 'hex')) };
  if (type.idType === 'Int8') return { kind: 'Int8', value: BigInt(id) };
  return { kind: 'String', value: id };
}

const SCALAR_KIND: Record<string, Value['kind']> = {
  ID: 'String',
  String: 'String',
  Int: 'Int',
  Int8: 'Int8',
  BigInt: 'BigInt',
  BigDecimal: 'BigDecimal',
  Boolean: 'Bool',
  Bytes: 'Bytes',
  Timestamp: 'Timestamp',
};

function expectedKind(field: Field, schemaIdType: (name: string) => string): Value['kind'] {
  if (field.kind === 'enum') return 'String';
  if (field.kind === 'reference') {
    const idType = schemaIdType(field.baseType);
    return idType === 'Bytes' ? 'Bytes' : idType === 'Int8' ? 'Int8' : 'String';
  }
  return SCALAR_KIND[field.baseType] ?? 'String';
}

function typeName(field: Field): string {
  const base = field.list ? `[${field.baseType}!]` : field.baseType;
  return field.nullable ? base : `${base}!`;
}

/** What `set` checks for one entity type, worked out once. */
interface FieldCheck {
  field: Field;
  kind: Value['kind'];
}

interface CheckPlan {
  type: EntityType;
  /** The stored fields (not derived), in schema order. */
  fields: FieldCheck[];
  /** Every field, derived ones included. */
  byName: Map<string, FieldCheck>;
  /** How many stored fields are non-nullable. */
  required: number;
}

const CHECK_PLANS = new WeakMap<EntityType, CheckPlan>();

function checkPlan(type: EntityType, idTypeOf: (name: string) => string): CheckPlan {
  let plan = CHECK_PLANS.get(type);
  if (!plan) {
    const all = type.fields.map((field) => ({ field, kind: expectedKind(field, idTypeOf) }));
    const fields = all.filter(({ field }) => !field.derivedFrom);
    plan = {
      type,
      fields,
      byName: new Map(all.map((check) => [check.field.name, check])),
      required: fields.filter(({ field }) => !field.nullable).length,
    };
    CHECK_PLANS.set(type, plan);
  }
  return plan;
}

function kindMatches({ field, kind }: FieldCheck, value: Value): boolean {
  return field.list ? value.kind === 'List' && value.value.every((item) => item.kind === kind) : value.kind === kind;
}

interface GivenScan {
  /** Existing fields the mapping gave a value again. */
  covered: number;
  /** Fields the mapping set to null. */
  removed: string[];
}

/**
 * One pass over the fields the mapping gave: null when any of them may be invalid (the full check
 * then names the problem). A value object the entity already held was checked when it was set.
 */
function scanGiven(plan: CheckPlan, existing: Entity | null, data: Entity, strictFields: boolean): GivenScan | null {
  let covered = 0;
  let required = 0;
  const removed: string[] = [];
  for (const [name, value] of data) {
    const old = existing?.get(name);
    if (old !== undefined && value === old) {
      covered += 1;
      continue;
    }
    const check = plan.byName.get(name);
    if (value.kind === 'Null') {
      if ((check === undefined && strictFields) || (check && !check.field.nullable && !check.field.derivedFrom)) {
        return null;
      }
      removed.push(name);
      continue;
    }
    if (check === undefined) {
      if (strictFields) return null;
    } else if (check.field.derivedFrom || !kindMatches(check, value)) {
      return null;
    } else if (!check.field.nullable) {
      required += 1;
    }
    if (old !== undefined) covered += 1;
  }
  // A new entity needs every non-nullable field (the id is filled in when not given).
  if (!existing && required + (data.has('id') ? 0 : 1) !== plan.required) return null;
  return { covered, removed };
}

/** The fields the mapping set: defined by the schema (apiVersion >= 0.0.8) and not derived. */
function checkGivenFields({ type }: CheckPlan, id: EntityId, given: Entity, strictFields: boolean): void {
  for (const [name, value] of given) {
    const field = type.fieldsByName.get(name);
    if (!field) {
      if (strictFields)
        throw new DeterministicError(`Attempted to set undefined field \`${name}\` on entity ${type.name}[${id}]`);
      continue;
    }
    if (field.derivedFrom && value.kind !== 'Null') {
      throw new DeterministicError(`Entity ${type.name}[${id}]: field \`${name}\` is derived and cannot be set`);
    }
  }
}

/**
 * The entity after a valid `set`: the fields given replace the existing ones, a null removes one.
 * `data` (the host's own fresh map: `set` takes it over) becomes the entity itself when it holds
 * every existing field, as when a mapping saves an entity it loaded; the order of fields is kept
 * for the next write when they are the same fields.
 */
function takeOver(type: EntityType, id: EntityId, existing: Entity | null, data: Entity, scan: GivenScan): Entity {
  const fillsId = existing?.has('id') === true && !data.has('id');
  // Some existing field was not given again: the entity is a copy of the existing one, updated.
  if (existing && scan.covered + (fillsId ? 1 : 0) < existing.size) return copyMerged(type, id, existing, data);
  for (const name of scan.removed) data.delete(name);
  if (!data.has('id')) data.set('id', existing?.get('id') ?? idValue(type, id));
  if (existing && data.size === existing.size) keepFieldOrder(existing, data);
  return data;
}

function copyMerged(type: EntityType, id: EntityId, existing: Entity | null, data: Entity): Entity {
  const merged: Entity = new Map(existing ?? []);
  for (const [name, value] of data) {
    if (value.kind === 'Null') merged.delete(name);
    else merged.set(name, value);
  }
  if (!merged.has('id')) merged.set('id', idValue(type, id));
  return merged;
}

/** Every stored field has its schema type and every required one is there (graph/src/data/store/mod.rs). */
function checkValues(plan: CheckPlan, id: EntityId, entity: Entity, previous: Entity | null): void {
  const { type } = plan;
  for (const check of plan.fields) {
    const { field } = check;
    const value = entity.get(field.name);
    if (!value) {
      if (!field.nullable) {
        throw new DeterministicError(
          `Entity ${type.name}[${id}]: missing value for non-nullable field \`${field.name}\``,
        );
      }
      continue;
    }
    // A value object the entity already held was checked when it was set.
    if (previous?.get(field.name) === value) continue;
    if (!kindMatches(check, value)) {
      throw new DeterministicError(
        `Entity ${type.name}[${id}]: the value of field \`${field.name}\` must have type ${typeName(field)} but has type ${value.kind}`,
      );
    }
  }
}
