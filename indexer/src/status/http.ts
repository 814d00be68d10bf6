// Small helpers for the plain node:http servers (status, metrics).
import type { IncomingMessage, Server } from 'node:http';

/** Listens, turning "port in use" into a one-line error a user can act on. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} on ${host} is already in use; pick another with the matching --*-port flag`)
          : error,
      );
    });
    server.listen(port, host, () => resolve());
  });
}

export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}
