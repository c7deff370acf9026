import type { FastifyInstance } from 'fastify';
import type { Logger } from './logger.ts';

/**
 * Stop accepting requests, finish the ones in flight, then run `cleanup` (workers, database).
 * A second signal exits at once.
 */
export function installGracefulShutdown(logger: Logger, close: () => Promise<void>): void {
  let closing = false;
  const onSignal = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    logger.info({ signal }, 'shutting down');
    close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
}

/** Listen and return the base URL actually bound (port 0 picks a free port in tests). */
export async function listen(app: FastifyInstance, port: number, host = '127.0.0.1'): Promise<string> {
  await app.listen({ port, host });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('Server did not bind a TCP port');
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
}
