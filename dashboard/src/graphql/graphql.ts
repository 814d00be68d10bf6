// gql.tada bound to graph-node's API schema for this subgraph, generated at build time from the
// indexer's SDL (`pnpm run schema` → generated/): a schema change that breaks a document breaks
// `tsc`, not the page. graph-node sends its big-number and byte scalars as JSON strings.
import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './generated/graphql-env.js';

export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: {
    BigInt: string;
    BigDecimal: string;
    Bytes: string;
    Int8: string;
    Timestamp: string;
  };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';
export { readFragment } from 'gql.tada';
