// The entity data model shared by every layer of the indexer: the WASM host produces these
// values from graph-ts `Value`s, the store persists them, GraphQL serialises them.
// Kinds follow graph-node's store `Value` (graph/src/data/store/mod.rs).

export type Value =
  | { kind: 'String'; value: string }
  | { kind: 'Int'; value: number }
  | { kind: 'Int8'; value: bigint }
  | { kind: 'BigInt'; value: bigint }
  /** Normalised decimal text as graph-node prints it (no exponent), e.g. "-12.5". */
  | { kind: 'BigDecimal'; value: string }
  | { kind: 'Bool'; value: boolean }
  | { kind: 'Bytes'; value: Uint8Array }
  /** Microseconds since the Unix epoch. */
  | { kind: 'Timestamp'; value: bigint }
  | { kind: 'List'; value: Value[] }
  | { kind: 'Null' };

export type ValueKind = Value['kind'];

/** One version of an entity: field name → value. Null fields may be absent. */
export type Entity = Map<string, Value>;

/**
 * An entity id in canonical text form: the string itself for `String`/`ID` ids, lower-case
 * 0x-hex for `Bytes` ids, decimal text for `Int8` ids.
 */
export type EntityId = string;

/** A change produced by handlers for one block, in the order the handlers made them. */
export type EntityChange =
  | { op: 'set'; entityType: string; id: EntityId; data: Entity }
  | { op: 'remove'; entityType: string; id: EntityId };

/** A block as the store and the GraphQL `_meta` field see it. */
export interface BlockPtr {
  number: number;
  /** Lower-case 0x-hex. */
  hash: string;
  parentHash: string | null;
  /** Seconds since the Unix epoch. */
  timestamp: number;
}
