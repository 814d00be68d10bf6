// Prints the GraphQL API graph-node generates for a subgraph schema, as SDL:
//   pnpm --filter indexer run print-api-schema <schema.graphql> [out.graphql]
import { readFileSync, writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { parseSchema } from '../schema/schema.js';
import { buildApiSchema } from './api-schema.js';
import { graphqlLimitsFromEnv } from './environment.js';

const [input, output] = process.argv.slice(2).filter((arg) => arg !== '--');
if (!input) {
  console.error('print-api-schema: usage: print-api-schema <schema.graphql> [out.graphql]');
  process.exit(2);
}
try {
  const sdl = printSchema(buildApiSchema(parseSchema(readFileSync(input, 'utf8')), graphqlLimitsFromEnv()));
  if (output) writeFileSync(output, `${sdl}\n`);
  else console.log(sdl);
} catch (error) {
  console.error(`print-api-schema: ${(error as Error).message.split('\n')[0]}`);
  process.exit(2);
}
