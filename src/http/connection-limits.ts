import { Logger } from '@nestjs/common';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { addressGroup } from './address-group';
import { DEFAULT_BODY_DEADLINES } from './body.guard';

/** What the Node HTTP server allows a connection before the app sees its request. */
export interface ConnectionLimits {
  /** From a connection's opening (or its next request's first byte) to the end of the headers. */
  headersTimeoutMs: number;
  /** For the whole request, body included; never the answer, so streams of any length go on. */
  requestTimeoutMs: number;
  /** Connections open at once; past it Node closes new ones unanswered. */
  maxConnections: number;
  /** Connections one client address (an IPv4 address or an IPv6 /64) may hold open at once. */
  maxConnectionsPerAddress: number;
}

/**
 * Node's own defaults allow 60 s for the headers and no cap on connections, so a client that
 * opens sockets and sends its headers a byte at a time (slowloris) holds each one for a minute,
 * without ever meeting the password check.
 *
 * - 10 s for the headers: an API client sends them in one packet, and even a bad mobile link
 *   delivers a few kilobytes well within it.
 * - The whole request gets 30 s more than BodyGuard's own deadline, so a slow body still gets
 *   BodyGuard's 408 in the route's dialect; this is only the backstop for bodies nobody reads.
 * - 10,000 connections: far beyond what one replica's Google quota can serve at once (scale out
 *   with replicas instead), yet a bound on the memory and file descriptors a flood can take, so
 *   that the streams, upstream calls and credential writes already under way keep working.
 * - 1,000 connections per client address (`MAX_CONNECTIONS_PER_ADDRESS` on the proxy): without a
 *   share, one client re-opening half-sent requests held every slot and legitimate clients were
 *   refused (4 of 37 got in). An IPv6 client counts by its /64, which one host may fill at will.
 *   Behind a reverse proxy every connection comes from the reverse proxy's address, so there the
 *   share is the reverse proxy's whole allowance.
 *
 * Neither timeout touches a request once it has arrived: SSE answers that run for many minutes
 * and idle keep-alive connections (Node's 5 s keepAliveTimeout, left as it is) are not cut.
 */
export const CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: DEFAULT_BODY_DEADLINES.totalMs + 30_000,
  maxConnections: 10_000,
  maxConnectionsPerAddress: 1_000,
};

/** How often Node looks for requests past those timeouts; at its default (30 s) 10 s could be 40. */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;
/** A flood drops thousands of connections a second; one warning a minute says enough. */
const DROP_WARNING_INTERVAL_MS = 60_000;

/** Applies the limits to a server that is not listening yet (the check interval starts then). */
export function limitConnections(server: Server, limits = CONNECTION_LIMITS): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.maxConnections = limits.maxConnections;
  // A constructor option in @types/node, but read from the server when it starts listening.
  Object.assign(server, { connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS });
  warnOnDroppedConnections(server, limits.maxConnections);
  shareConnectionsByAddress(server, limits.maxConnectionsPerAddress);
}

/**
 * Closes, unanswered, a new connection from an address that already holds its share. Counted on
 * the accepted socket: Node's `maxConnections` check has run by then, so a dropped connection is
 * never counted.
 */
function shareConnectionsByAddress(server: Server, max: number): void {
  const logger = new Logger('HTTP');
  const open = new Map<string, number>();
  let warnedAt = -Infinity;
  server.on('connection', (socket: Socket) => {
    const group = addressGroup(socket.remoteAddress);
    const held = open.get(group) ?? 0;
    if (held >= max) {
      socket.destroy();
      const now = Date.now();
      if (now - warnedAt >= DROP_WARNING_INTERVAL_MS) {
        warnedAt = now;
        logger.warn(
          `${group} holds ${max} connections, the most one address may (MAX_CONNECTIONS_PER_ADDRESS): ` +
            'its new connections are closed unanswered.',
        );
      }
      return;
    }
    open.set(group, held + 1);
    socket.once('close', () => {
      const left = (open.get(group) ?? 1) - 1;
      if (left > 0) open.set(group, left);
      else open.delete(group);
    });
  });
}

function warnOnDroppedConnections(server: Server, max: number): void {
  const logger = new Logger('HTTP');
  let warnedAt = -Infinity;
  server.on('drop', (dropped) => {
    const now = Date.now();
    if (now - warnedAt < DROP_WARNING_INTERVAL_MS) return;
    warnedAt = now;
    logger.warn(
      `${max} connections are open, the most the server accepts: new connections are closed ` +
        `unanswered (the latest from ${dropped?.remoteAddress ?? 'an unknown address'}).`,
    );
  });
}
