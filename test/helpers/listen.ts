import type { Server } from 'node:net';

/**
 * `server.listen(port)` on loopback, settled either way: a port taken between `freePort` and here (another test
 * file grabbed it) rejects with EADDRINUSE instead of leaving the caller waiting on a callback that never comes.
 */
export function listenOn(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
