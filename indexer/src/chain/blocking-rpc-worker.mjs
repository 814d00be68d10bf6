// Entry of the blocking JSON-RPC worker (blocking-rpc.ts): worker threads do not inherit the
// parent's TypeScript loader, so register tsx here before loading the TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import('./blocking-rpc-worker.ts');
