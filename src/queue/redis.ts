import { Redis } from 'ioredis';

/**
 * A Redis connection for queue mode. `maxRetriesPerRequest: null` is what BullMQ workers need: commands wait
 * for a reconnect instead of failing, so a Redis restart pauses work rather than losing it.
 */
export function openRedis(
  url: string,
  name: string,
  onError: (error: Error) => void,
  options: { failFast?: boolean } = {},
): Redis {
  // failFast: for checks that must answer now (rate limits, readiness) rather than wait out an outage.
  const redis = new Redis(url, {
    connectionName: `duet-${name}`,
    ...(options.failFast
      ? { maxRetriesPerRequest: 0, enableOfflineQueue: false }
      : { maxRetriesPerRequest: null, enableOfflineQueue: true }),
  });
  // ioredis reconnects by itself; an error here is reported, not thrown, so a Redis outage never crashes us.
  redis.on('error', onError);
  return redis;
}
