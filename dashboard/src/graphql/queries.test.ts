// Every document the dashboard sends is valid against the indexer's API schema — the same
// validation graph-node runs before executing (unused fragments, unknown fields, variable types):
// gql.tada types the fields, but a document it accepts can still be refused by the server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, type DocumentNode, Kind, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as queries from './queries.js';

const schema = buildSchema(readFileSync(join(import.meta.dirname, 'generated/api-schema.graphql'), 'utf8'));

const documents = Object.entries(queries).filter(
  (entry): entry is [string, DocumentNode] =>
    typeof entry[1] === 'object' && entry[1] !== null && (entry[1] as DocumentNode).kind === Kind.DOCUMENT,
);

describe('GraphQL documents', () => {
  it('finds the documents', () => {
    expect(documents.length).toBeGreaterThan(5);
  });

  it.each(documents.filter(([, document]) => document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION)))(
    '%s validates against the API schema',
    (_name, document) => {
      expect(validate(schema, document).map((error) => error.message)).toEqual([]);
    },
  );
});
