// The index-node endpoint: POST (or GET ?query=) /graphql answering the status schema.
import { createServer, type Server } from 'node:http';
import { graphql } from 'graphql';
import { listen, readBody } from './http.js';
import { buildStatusSchema, type DeploymentStatus, statusRoot } from './schema.js';

export async function serveStatus(
  statuses: () => DeploymentStatus[],
  port: number,
  host = '127.0.0.1',
): Promise<Server> {
  const schema = buildStatusSchema();
  const rootValue = statusRoot(statuses);
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== '/graphql') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the status API is at /graphql\n');
      return;
    }
    let source: string | undefined;
    let variables: Record<string, unknown> | undefined;
    try {
      if (request.method === 'POST') {
        const body = JSON.parse(await readBody(request)) as { query?: string; variables?: Record<string, unknown> };
        source = body.query;
        variables = body.variables ?? undefined;
      } else {
        source = url.searchParams.get('query') ?? undefined;
      }
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ message: 'the request body is not valid JSON' }] }));
      return;
    }
    if (!source) {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ message: 'no query: send {"query": "..."}' }] }));
      return;
    }
    const result = await graphql({ schema, source, rootValue, variableValues: variables ?? null });
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
  });
  await listen(server, port, host);
  return server;
}
