import {
  apiKeyHash,
  apiKeyUseWorthRecording,
  findLiveApiKey,
  recordApiKeyUse,
  type LiveApiKey,
} from '../store/api-keys.ts';
import type { Database } from '../store/db.ts';
import { TtlCache } from './ttl-cache.ts';

/** Enough for every key of a busy instance; beyond it the least recently used are looked up again. */
const MAX_CACHED_KEYS = 10_000;

/**
 * Checks API keys at the cost of one in-memory lookup per request: a live key is trusted for `ttlMs`
 * (API_KEY_CACHE_TTL_MS) before the database is asked again. A key revoked through this process stops at once
 * (`forget`); one revoked elsewhere (another process, the database directly) within `ttlMs`.
 */
export class ApiKeyVerifier {
  private readonly live: TtlCache<string, LiveApiKey>;
  /** Lookups in flight, shared by the requests that arrive meanwhile (a burst when an entry expires). */
  private readonly pending = new Map<string, Promise<LiveApiKey | undefined>>();
  /** Bumped by `forget`: a lookup that started before a revocation may have read the key live; it is not kept. */
  private revocations = 0;

  constructor(
    private readonly db: Database,
    ttlMs: number,
  ) {
    this.live = new TtlCache(ttlMs, MAX_CACHED_KEYS);
  }

  /** The live key a bearer token names, its use recorded (to the minute); undefined for anything else. */
  async verify(token: string, now = new Date()): Promise<LiveApiKey | undefined> {
    const hash = apiKeyHash(token);
    const key = hash === undefined ? undefined : (this.live.get(hash) ?? (await this.lookup(hash)));
    if (!key) return undefined;
    if (apiKeyUseWorthRecording(key.lastUsedAt, now)) {
      // Noted before the write, so the requests that arrive meanwhile do not write too.
      key.lastUsedAt = now;
      await recordApiKeyUse(this.db, key.id, now);
    }
    return key;
  }

  /** A key revoked here: the next request with it is refused. */
  forget(keyId: string): void {
    this.revocations += 1;
    this.pending.clear();
    this.live.deleteWhere((key) => key.id === keyId);
  }

  private lookup(hash: string): Promise<LiveApiKey | undefined> {
    const inFlight = this.pending.get(hash);
    if (inFlight) return inFlight;
    const seen = this.revocations;
    const found = findLiveApiKey(this.db, hash)
      .then((key) => {
        if (key && seen === this.revocations) this.live.set(hash, key);
        return key;
      })
      .finally(() => {
        if (this.pending.get(hash) === found) this.pending.delete(hash);
      });
    this.pending.set(hash, found);
    return found;
  }
}
