import { Client, cacheExchange, fetchExchange } from 'urql';

/** One urql client per endpoint; `cache-and-network` shows cached data while it revalidates. */
export function makeClient(url: string): Client {
  return new Client({ url, exchanges: [cacheExchange, fetchExchange], requestPolicy: 'cache-and-network' });
}
