// The current version of every entity, in memory: handlers read it synchronously while the store
// is written behind in batches. Filled from the store at start-up and after a revert, then kept
// current by applying each block's changes.
import type { Entity, EntityChange, EntityId } from '../schema/value.js';
import type { EntityReader, StoredEntity } from './ports.js';

export class EntityState implements EntityReader {
  private readonly byType = new Map<string, Map<EntityId, Entity>>();

  static from(entities: StoredEntity[]): EntityState {
    const state = new EntityState();
    for (const { entityType, id, data } of entities) state.table(entityType).set(id, data);
    return state;
  }

  get(entityType: string, id: EntityId): Entity | null {
    return this.byType.get(entityType)?.get(id) ?? null;
  }

  all(entityType: string): Iterable<Entity> {
    return this.byType.get(entityType)?.values() ?? [];
  }

  get size(): number {
    let count = 0;
    for (const table of this.byType.values()) count += table.size;
    return count;
  }

  apply(changes: EntityChange[]): void {
    for (const change of changes) {
      if (change.op === 'set') this.table(change.entityType).set(change.id, change.data);
      else this.byType.get(change.entityType)?.delete(change.id);
    }
  }

  private table(entityType: string): Map<EntityId, Entity> {
    let table = this.byType.get(entityType);
    if (!table) {
      table = new Map();
      this.byType.set(entityType, table);
    }
    return table;
  }
}
