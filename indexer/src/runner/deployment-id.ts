// A deployment id in graph-node's form ("Qm…", base58 of a sha2-256 multihash) derived from the
// built subgraph's content: the manifest and every file it references (schema, ABIs, WASM). Same
// build → same id; any change to mappings, schema or manifest → a new deployment, as with IPFS.
// (graph-node hashes the IPFS DAG node instead, so the ids differ from what `graph deploy` prints.)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function deploymentId(manifestPath: string): string {
  const manifestText = readFileSync(manifestPath, 'utf8');
  const hash = createHash('sha256').update(manifestText);
  const files = [...referencedFiles(parseYaml(manifestText))].sort();
  for (const file of files) hash.update(file).update(readFileSync(resolve(dirname(manifestPath), file)));
  return base58(Buffer.concat([Buffer.from([0x12, 0x20]), hash.digest()]));
}

/** Every `file:` value in the manifest (graph-cli writes them relative to the manifest). */
function referencedFiles(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) referencedFiles(item, found);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'file' && typeof value === 'string') found.add(value);
      else if (key === 'file' && value && typeof value === 'object' && '/' in value) {
        found.add(String((value as Record<string, unknown>)['/']).replace(/^\/ipfs\//, ''));
      } else referencedFiles(value, found);
    }
  }
  return found;
}

function base58(bytes: Buffer): string {
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let text = '';
  while (n > 0n) {
    text = (BASE58[Number(n % 58n)] as string) + text;
    n /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    text = `1${text}`;
  }
  return text;
}
