/**
 * Which worker process holds the server side of a TCP connection, read from Linux's /proc (no help from Ferry):
 * the connection's row in /proc/net/tcp gives the socket inode, and the worker whose /proc/<pid>/fd links to
 * `socket:[inode]` serves it. `pinnedRequest` uses that to send a request to a chosen worker: it opens fresh
 * connections until one lands there (node:cluster hands connections out in turn, so that takes one or two).
 */

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

const hexPort = (p: number) => p.toString(16).toUpperCase().padStart(4, '0');

/** The inode of the server-side socket of the loopback connection from `clientPort` to `serverPort`. */
function serverInode(serverPort: number, clientPort: number): string | null {
  const local = `0100007F:${hexPort(serverPort)}`;
  const remote = `0100007F:${hexPort(clientPort)}`;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1] === local && f[2] === remote) return f[9] ?? null;
  }
  return null;
}

function holds(pid: number, inode: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** The pid among `pids` serving `socket` (waits up to 2 s for the primary to hand the connection over). */
export async function workerOf(socket: net.Socket, pids: number[]): Promise<number> {
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline) {
    const inode = serverInode(socket.remotePort!, socket.localPort!);
    const owner = inode && inode !== '0' ? pids.find((p) => holds(p, inode)) : undefined;
    if (owner) return owner;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no worker among ${pids.join(', ')} holds the connection from port ${socket.localPort}`);
}

const CONNECT_TRIES = 200;

/** Connects to `port` until a connection is served by `pid`. */
export async function connectTo(port: number, pid: number, pids: number[]): Promise<net.Socket> {
  // The kernel favours one waiting worker (SCHED_NONE): twenty tries missed the other one in a test run.
  for (let i = 0; i < CONNECT_TRIES; i++) {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((ok, fail) => socket.once('connect', ok).once('error', fail));
    if ((await workerOf(socket, pids)) === pid) return socket;
    socket.destroy();
  }
  throw new Error(`${CONNECT_TRIES} connections, none served by worker ${pid}`);
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP/1.1 request on a fresh connection served by worker `pid`. */
export async function pinnedRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
  pid: number,
  pids: number[],
): Promise<Answer> {
  const u = new URL(url);
  const socket = await connectTo(Number(u.port), pid, pids);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: init.method ?? 'GET', headers: init.headers, agent: false, createConnection: () => socket },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
