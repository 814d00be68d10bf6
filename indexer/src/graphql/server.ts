// graph-node's query endpoints over HTTP (server/http/src/service.rs): POST JSON or GET with query
// parameters on /subgraphs/name/<name> and /subgraphs/id/<deployment>, a query page for browsers,
// open CORS, bounded bodies, and `{"errors":[…]}` for every failure while the server keeps serving.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  type DocumentNode,
  execute,
  type FieldNode,
  type GraphQLError,
  type GraphQLSchema,
  Kind,
  parse,
  validate,
} from 'graphql';
import type { DeploymentStatus, DeploymentStore } from '../store/deployment-store.js';
import { buildApiSchema, type RequestContext } from './api-schema.js';
import { checkComplexity } from './complexity.js';
import { EntityReader } from './entity-reader.js';
import { type GraphqlLimits, graphqlLimitsFromEnv, queryCacheSettingsFromEnv } from './environment.js';
import { type QueryCacheSettings, QueryResultCache } from './query-cache.js';
import { queryPage } from './query-page.js';
import { unknownFields } from './unknown-fields.js';

export interface ServedDeployment {
  name: string;
  deployment: string;
  store: DeploymentStore;
}

export interface GraphqlServerOptions {
  host?: string;
  port: number;
  limits?: Partial<GraphqlLimits>;
  /** The query result cache; defaults to graph-node's environment variables. */
  cache?: Partial<QueryCacheSettings>;
  /** Called with each query's duration (ms), for the metrics. */
  onQuery?: (deployment: string, ms: number, ok: boolean) => void;
}

const MAX_BODY = 1_000_000;
/** Parsed and checked documents remembered per query text (dashboards send the same few). */
const MAX_DOCUMENTS = 1000;
/** Longer texts are checked every time, so the remembered documents stay within ~100 MB. */
const MAX_REMEMBERED_QUERY = 100_000;

export async function createGraphQLServer(
  deployments: ServedDeployment[],
  options: GraphqlServerOptions,
): Promise<Server> {
  const limits = { ...graphqlLimitsFromEnv(), ...options.limits };
  const cache = new QueryResultCache({ ...queryCacheSettingsFromEnv(), ...options.cache });
  const documents = new Map<string, Prepared | Failed>();
  const schemas = new Map<string, GraphQLSchema>();
  const byPath = new Map<string, ServedDeployment>();
  for (const served of deployments) {
    byPath.set(`/subgraphs/name/${served.name}`, served);
    byPath.set(`/subgraphs/id/${served.deployment}`, served);
    schemas.set(served.deployment, buildApiSchema(served.store.layout.schema, limits));
  }
  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => send(response, 500, { errors: [{ message: error.message }] }));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'OPTIONS') return send(response, 204, null);
    const served = byPath.get(url.pathname.replace(/\/graphql$/, '').replace(/\/$/, ''));
    if (!served) return send(response, 404, { errors: [{ message: `No subgraph is served at ${url.pathname}` }] });
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    if (request.method === 'GET') {
      const query = url.searchParams.get('query');
      if (!query) {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'access-control-allow-origin': '*' });
        response.end(queryPage(served.name));
        return;
      }
      body = { query, variables: parseJson(url.searchParams.get('variables')) };
    } else if (request.method === 'POST') {
      const raw = await readBody(request);
      if (raw === null)
        return send(response, 413, { errors: [{ message: `Request body is larger than ${MAX_BODY} bytes` }] });
      const parsed = parseJson(raw);
      if (parsed === undefined || typeof parsed !== 'object' || parsed === null) {
        return send(response, 400, {
          errors: [{ message: 'The request body must be a JSON object with a `query` string' }],
        });
      }
      body = parsed as typeof body;
    } else {
      return send(response, 405, { errors: [{ message: `Method ${request.method} is not allowed; use GET or POST` }] });
    }
    if (typeof body.query !== 'string')
      return send(response, 400, { errors: [{ message: 'The `query` field must be a string' }] });
    const started = performance.now();
    const variables = (body.variables as Record<string, unknown> | null | undefined) ?? undefined;
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    const prepared = prepare(served, body.query, operationName);
    if ('errors' in prepared) return finish(served, response, started, JSON.stringify(prepared), false);
    const status = await served.store.status();
    const head = status.head;
    // Cached like graph-node: queries at the head only (graph-node's LFU cache for historical
    // blocks is not reproduced), keyed by deployment, text, variables and block.
    if (head && !prepared.readsPastBlocks && cache.caches(served.deployment)) {
      const block = {
        number: head.number,
        identity: `${head.number}:${head.hash}:${status.fatalError ? 'failed' : 'ok'}`,
      };
      const key = JSON.stringify([body.query, variables ?? null, operationName ?? null]);
      const hit = cache.get(served.deployment, block, key);
      if (hit !== undefined) return finish(served, response, started, hit, true);
      const { value, shared } = await cache.once(`${served.deployment}\u0000${block.identity}\u0000${key}`, () =>
        run(served, prepared, status, variables),
      );
      if (!shared && value.ok) cache.insert(served.deployment, block, key, value.body);
      return finish(served, response, started, value.body, value.ok);
    }
    const result = await run(served, prepared, status, variables);
    finish(served, response, started, result.body, result.ok);
  }

  function finish(
    served: ServedDeployment,
    response: ServerResponse,
    started: number,
    body: string,
    ok: boolean,
  ): void {
    options.onQuery?.(served.deployment, performance.now() - started, ok);
    sendText(response, 200, body);
  }

  /** Parses, checks depth and complexity (graph-node's order), validates; remembered per text. */
  function prepare(served: ServedDeployment, query: string, operationName: string | undefined): Prepared | Failed {
    const schema = schemas.get(served.deployment) as GraphQLSchema;
    const cacheKey = `${served.deployment}\u0000${operationName ?? ''}\u0000${query}`;
    const known = documents.get(cacheKey);
    if (known) return known;
    const prepared = prepareDocument(schema, query, operationName, limits);
    if (query.length > MAX_REMEMBERED_QUERY) return prepared;
    if (documents.size >= MAX_DOCUMENTS) documents.delete(documents.keys().next().value as string);
    documents.set(cacheKey, prepared);
    return prepared;
  }

  async function run(
    served: ServedDeployment,
    prepared: Prepared,
    status: DeploymentStatus,
    variables: Record<string, unknown> | undefined,
  ): Promise<{ body: string; ok: boolean }> {
    const fatal = status.fatalError;
    const context: RequestContext = {
      reader: new EntityReader(served.store),
      deployment: served.deployment,
      name: served.name,
      head: status.head,
      hasIndexingErrors: fatal !== null,
    };
    const result = await execute({
      schema: schemas.get(served.deployment) as GraphQLSchema,
      document: prepared.document,
      variableValues: variables,
      operationName: prepared.operationName,
      contextValue: context,
    });
    let errors = result.errors?.map(errorJson);
    let data = result.data as Record<string, unknown> | null | undefined;
    // A failed deployment answers entity fields with "indexing_error"; with `subgraphError: deny`
    // (the default) it keeps only `_meta` (graph-node graphql/src/store/resolver.rs).
    if (fatal && data && prepared.policy !== 'meta-only') {
      if (prepared.policy === 'deny')
        data = Object.fromEntries(Object.entries(data).filter(([key]) => key === '_meta'));
      errors = [...(errors ?? []), { message: 'indexing_error' }];
    }
    return { body: JSON.stringify(errors ? (data ? { data, errors } : { errors }) : { data }), ok: !errors };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return server;
}

interface Prepared {
  document: DocumentNode;
  operationName: string | undefined;
  /** Some root field has a `block` argument: not a query at the head, so not cached. */
  readsPastBlocks: boolean;
  policy: 'deny' | 'allow' | 'meta-only';
}
interface Failed {
  errors: Array<{ message: string; locations?: unknown }>;
}

function errorJson(e: { message: string; locations?: unknown }): { message: string; locations?: unknown } {
  return e.locations ? { message: e.message, locations: e.locations } : { message: e.message };
}

function prepareDocument(
  schema: GraphQLSchema,
  query: string,
  operationName: string | undefined,
  limits: GraphqlLimits,
): Prepared | Failed {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return { errors: [errorJson(error as GraphQLError)] };
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  if (operation) {
    const refused = checkComplexity(schema, operation, fragments, limits.maxDepth, limits.maxComplexity);
    if (refused) return { errors: [{ message: refused }] };
    const unknown = unknownFields(schema, operation, fragments);
    if (unknown.length > 0) return { errors: unknown };
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0 || !operation) {
    return { errors: invalid.length > 0 ? invalid.map(errorJson) : [{ message: 'The query has no operation to run' }] };
  }
  const roots = operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD);
  return {
    document,
    operationName,
    readsPastBlocks: roots.some((field) => field.arguments?.some((a) => a.name.value === 'block')),
    policy: errorPolicy(roots),
  };
}

/** `deny` if any entity root field keeps the default `subgraphError: deny`; `meta-only` without entity fields. */
function errorPolicy(roots: FieldNode[]): 'deny' | 'allow' | 'meta-only' {
  const fields = roots.filter((field) => field.name.value !== '_meta');
  if (fields.length === 0) return 'meta-only';
  const allows = (field: FieldNode) =>
    (field.arguments ?? []).some(
      (a) => a.name.value === 'subgraphError' && a.value.kind === Kind.ENUM && a.value.value === 'allow',
    );
  return fields.every(allows) ? 'allow' : 'deny';
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(null);
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  sendText(response, status, body === null ? '' : JSON.stringify(body));
}

function sendText(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'access-control-allow-origin': '*',
    'access-control-allow-headers': 'content-type, user-agent',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
  });
  response.end(body);
}
