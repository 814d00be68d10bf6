// Joins the runner to the WASM host (src/wasm, src/manifest) and the store (src/store,
// src/graphql). Those parts are written concurrently by other engineers; until they land, running
// a deployment says so in one line instead of failing obscurely.
import type { IndexerParts } from './indexer.js';

class PartMissingError extends Error {}

export const defaultParts: IndexerParts = {
  async openDeployment() {
    throw new PartMissingError(
      'this build has no WASM host and store yet (indexer/src/wasm, indexer/src/store): indexing cannot start',
    );
  },
  async resetDeployment() {
    throw new PartMissingError('this build has no store yet (indexer/src/store): nothing to reset');
  },
};
