// graph-node's query endpoints over HTTP (server/http/src/service.rs): POST JSON or GET with query
// parameters on /subgraphs/name/<name> and /subgraphs/id/<deployment>, a query page for browsers,
// open CORS, bounded bodies, and `{"errors":[…]}` for every failure while the server keeps serving.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type DocumentNode, execute, type GraphQLSchema, Kind, parse, type SelectionSetNode, validate } from 'graphql';
import type { DeploymentStore } from '../store/deployment-store.js';
import { buildApiSchema, type QueryLimits, type RequestContext } from './api-schema.js';
import { queryPage } from './query-page.js';

export interface ServedDeployment {
  name: string;
  deployment: string;
  store: DeploymentStore;
}

export interface GraphqlServerOptions {
  host?: string;
  port: number;
  limits?: Partial<QueryLimits & { maxDepth: number }>;
  /** Called with each query's duration (ms), for the metrics. */
  onQuery?: (deployment: string, ms: number, ok: boolean) => void;
}

const MAX_BODY = 1_000_000;

export function graphqlLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): QueryLimits & { maxDepth: number } {
  return {
    maxFirst: Number(env.GRAPH_GRAPHQL_MAX_FIRST ?? 1000),
    maxSkip: Number(env.GRAPH_GRAPHQL_MAX_SKIP ?? Number.MAX_SAFE_INTEGER),
    maxDepth: Number(env.GRAPH_GRAPHQL_MAX_DEPTH ?? 255),
  };
}

export async function createGraphQLServer(
  deployments: ServedDeployment[],
  options: GraphqlServerOptions,
): Promise<Server> {
  const limits = { ...graphqlLimitsFromEnv(), ...options.limits };
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
    const fatal = await served.store.fatalError();
    const context: RequestContext = {
      store: served.store,
      deployment: served.deployment,
      name: served.name,
      head: await served.store.head(),
      hasIndexingErrors: fatal !== null,
      batches: new Map(),
    };
    const schema = schemas.get(served.deployment) as GraphQLSchema;
    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (error) {
      const e = error as { message: string; locations?: unknown };
      return send(response, 200, {
        errors: [e.locations ? { message: e.message, locations: e.locations } : { message: e.message }],
      });
    }
    const invalid = validate(schema, document);
    const depth = maxDepth(
      document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.selectionSet] : [])),
    );
    if (invalid.length === 0 && depth > limits.maxDepth) {
      return send(response, 200, {
        errors: [{ message: `query has a depth that exceeds the limit of ${limits.maxDepth}` }],
      });
    }
    const result =
      invalid.length > 0
        ? { errors: invalid, data: undefined }
        : await execute({
            schema,
            document,
            variableValues: (body.variables as Record<string, unknown> | undefined) ?? undefined,
            operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
            contextValue: context,
          });
    let errors = result.errors?.map((e) =>
      e.locations ? { message: e.message, locations: e.locations } : { message: e.message },
    );
    let data = result.data as Record<string, unknown> | null | undefined;
    // A failed deployment answers entity fields with "indexing_error"; with `subgraphError: deny`
    // (the default) it keeps only `_meta` (graph-node graphql/src/store/resolver.rs).
    const policy = errorPolicy(document);
    if (fatal && data && policy !== 'meta-only') {
      if (policy === 'deny') data = Object.fromEntries(Object.entries(data).filter(([key]) => key === '_meta'));
      errors = [...(errors ?? []), { message: 'indexing_error' }];
    }
    options.onQuery?.(served.deployment, performance.now() - started, !errors);
    send(response, 200, errors ? (data ? { data, errors } : { errors }) : { data });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return server;
}

function maxDepth(sets: readonly SelectionSetNode[]): number {
  let deepest = 0;
  for (const set of sets) {
    for (const selection of set.selections) {
      const inner = 'selectionSet' in selection && selection.selectionSet ? [selection.selectionSet] : [];
      deepest = Math.max(deepest, 1 + maxDepth(inner));
    }
  }
  return deepest;
}

/** `deny` if any entity root field keeps the default `subgraphError: deny`; `meta-only` without entity fields. */
function errorPolicy(document: DocumentNode): 'deny' | 'allow' | 'meta-only' {
  const fields = document.definitions.flatMap((d) =>
    d.kind === Kind.OPERATION_DEFINITION
      ? d.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && s.name.value !== '_meta')
      : [],
  );
  if (fields.length === 0) return 'meta-only';
  const allows = (field: (typeof fields)[number]) =>
    field.kind === Kind.FIELD &&
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
  response.writeHead(status, {
    'content-type': 'application/json',
    'access-control-allow-origin': '*',
    'access-control-allow-headers': 'content-type, user-agent',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
  });
  response.end(body === null ? '' : JSON.stringify(body));
}
