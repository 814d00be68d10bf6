import type { Server } from 'node:http';

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
