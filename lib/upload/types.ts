// Shapes shared by the upload engine and its outbox stores.
import type { ClientInfo, UploadedReport } from '../report';
import type { OutboxBatch } from '../storage/db';
import type { Credentials } from './credentials';

/**
 * An outbox record as the engine uses it: the stored `OutboxBatch` plus what is needed to
 * resend it byte for byte. The payload is frozen when the batch is queued — a resend under
 * the same Idempotency-Key must carry the same body, or the receiver answers 422.
 */
export interface UploadBatch extends OutboxBatch {
  client: ClientInfo;
  /**
   * The reports exactly as they will be sent (redacted, local fields dropped, with their
   * `owner_key_hash`); empty for a withdrawal. No token here: the engine asks Credentials
   * for the token of the origin it is about to send to (DESIGN §9c).
   */
  payload: Array<UploadedReport & { owner_key_hash?: string }>;
}

/** What becomes of one report when its batch is answered. */
export type ReportOutcome =
  /** `remote`: what the receiver now holds (a new report, a replaced one, one it already had). */
  | { id: string; status: 'uploaded'; remote?: 'accepted' | 'updated' | 'duplicate' }
  | { id: string; status: 'failed'; reason: string }
  /** The receiver no longer holds it (withdrawn now, or earlier). */
  | { id: string; status: 'withdrawn' }
  /** A withdrawal the receiver refused: the report stays uploaded, with the reason. */
  | { id: string; status: 'withdraw_failed'; reason: string };

/**
 * Where batches wait. The IndexedDB implementation is `createIdbOutboxStore`; each method
 * is one transaction, so a worker stopped between two calls leaves a consistent state.
 * Methods that take a `batchId` answer `false` (and change nothing) when the batch is gone,
 * e.g. because another run already settled it.
 */
export interface OutboxStore {
  /** The batch due soonest with `next_attempt_at <= now`, skipping ids in `exclude`. */
  nextDue(now: number, exclude: ReadonlySet<string>): Promise<UploadBatch | undefined>;
  /** The earliest `next_attempt_at` of any batch; undefined when the outbox is empty. */
  nextAttemptAt(): Promise<number | undefined>;
  /** Reports waiting in the outbox (status `uploading`). */
  pendingReports(): Promise<number>;
  /** Records report outcomes and removes the batch; `requeue` (a new batch) is added in the same transaction. */
  settle(batchId: string, outcomes: readonly ReportOutcome[], requeue?: UploadBatch): Promise<boolean>;
  /** Keeps the batch until the user acts (401: the token was refused); its reports stay queued. */
  hold(batchId: string, reason: string): Promise<boolean>;
  /** Batches held for the user, with why. */
  held(): Promise<UploadBatch[]>;
  /** Keeps the batch (same key, same body) for a later attempt. */
  reschedule(batchId: string, update: { attempts: number; next_attempt_at: number; last_error: string }): Promise<boolean>;
  /** Replaces a batch by others (413: split in two, each with a new key). */
  replace(batchId: string, batches: readonly UploadBatch[]): Promise<boolean>;
  /** Makes every waiting batch due at `now` (the user's "Retry now"); answers how many were moved. */
  dueNow(now: number): Promise<number>;
}

export interface UploadConfig {
  /** A request (including reading the answer) is abandoned after this long. */
  timeoutMs: number;
  /** Backoff window after the first failure; doubles per attempt, full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After further out than this is capped (a misconfigured server can't park reports for a year). */
  maxRetryAfterMs: number;
  /** After this many failed attempts a batch's reports are marked failed with the last error. */
  maxAttempts: number;
}

export interface UploadProgress {
  /** Reports answered in this run (uploaded or failed). */
  done: number;
  /** Reports in the outbox when the run started. */
  total: number;
}

export interface UploadDeps {
  store: OutboxStore;
  fetch: typeof fetch;
  /** Tokens and owner keys, looked up by the origin each request goes to. */
  credentials?: Credentials;
  now?: () => number;
  random?: () => number;
  newId?: () => string;
  config?: Partial<UploadConfig>;
  onProgress?: (progress: UploadProgress) => void;
  /** One readable line per batch outcome, for logs and the UI's "last error". */
  onEvent?: (message: string) => void;
  /** Stops the run: an in-flight request is abandoned and its batch stays queued as it was. */
  signal?: AbortSignal;
}

export interface RunResult {
  uploaded: number;
  failed: number;
  withdrawn: number;
  /** Batches now held because the endpoint refused the token. */
  held: number;
  requests: number;
  /** When the next batch is due (schedule an alarm for it); undefined when the outbox is empty. */
  nextAttemptAt?: number;
  /** The last retryable error seen, for the UI. */
  lastError?: string;
  /** True when `signal` stopped the run. */
  stopped: boolean;
}
