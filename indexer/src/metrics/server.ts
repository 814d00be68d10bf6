// Serves the Prometheus text format on GET /metrics.
import { createServer, type Server } from 'node:http';
import { listen } from '../status/http.js';
import type { Registry } from './registry.js';

export async function serveMetrics(registry: Registry, port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url?.split('?')[0] === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      response.end(registry.render());
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: metrics are at /metrics\n');
  });
  await listen(server, port, host);
  return server;
}
