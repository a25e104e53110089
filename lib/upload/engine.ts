// The upload engine: sends due outbox batches one at a time and records what each answer
// means. It holds no state between calls — everything lives in the OutboxStore — so the
// background can run it from an alarm, a button or startup, and a service worker stopped at
// any point leaves batches that the next run simply sends again under the same key.
import { DEFAULT_CONFIG, backoffDelay } from './batching';
import { sendBatch } from './send';
import type { OutboxStore, ReportOutcome, RunResult, UploadBatch, UploadConfig, UploadDeps } from './types';
import { formatNumber, t, tp } from '../i18n';

/** Batches being sent by a run in this context, so two overlapping runs never send one twice at once. */
const inFlight = new WeakMap<OutboxStore, Set<string>>();

function flightsOf(store: OutboxStore): Set<string> {
  let set = inFlight.get(store);
  if (!set) inFlight.set(store, (set = new Set()));
  return set;
}

/**
 * Sends every batch whose `next_attempt_at` has passed (including retries that become due
 * while the run lasts) and returns when none is due. `nextAttemptAt` in the result is when
 * to wake up next (a `browser.alarms` alarm); undefined means the outbox is empty.
 */
export async function runOutbox(deps: UploadDeps): Promise<RunResult> {
  const config: UploadConfig = { ...DEFAULT_CONFIG, ...deps.config };
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const { store } = deps;
  const flights = flightsOf(store);
  const result: RunResult = { uploaded: 0, failed: 0, withdrawn: 0, held: 0, requests: 0, stopped: false };
  const progress = { done: 0, total: await store.pendingReports() };
  deps.onProgress?.({ ...progress });

  const settled = (outcomes: readonly ReportOutcome[]) => {
    for (const o of outcomes) {
      if (o.status === 'uploaded') result.uploaded++;
      else if (o.status === 'withdrawn') result.withdrawn++;
      else result.failed++;
    }
    progress.done += outcomes.length;
    // Reports queued after the run started can push done past the first count.
    progress.total = Math.max(progress.total, progress.done);
    deps.onProgress?.({ ...progress });
  };

  for (;;) {
    if (deps.signal?.aborted) {
      result.stopped = true;
      break;
    }
    const batch = await store.nextDue(now(), flights);
    if (!batch) break;
    flights.add(batch.id);
    try {
      const stop = await attempt(batch);
      if (stop) {
        result.stopped = true;
        break;
      }
    } finally {
      flights.delete(batch.id);
    }
  }
  result.nextAttemptAt = await store.nextAttemptAt();
  return result;

  /** One send and its bookkeeping; true when the run was stopped. */
  async function attempt(batch: UploadBatch): Promise<boolean> {
    result.requests++;
    const outcome = await sendBatch(batch, { fetch: deps.fetch, timeoutMs: config.timeoutMs, now, signal: deps.signal, credentials: deps.credentials });
    const kind = batch.kind ?? 'upload';
    const failure = (id: string, reason: string): ReportOutcome =>
      kind === 'withdraw' ? { id, status: 'withdraw_failed', reason } : { id, status: 'failed', reason };
    const attempts = batch.attempts + 1;
    switch (outcome.kind) {
      case 'stopped':
        return true;

      case 'results': {
        const inBatch = new Set(batch.report_ids);
        const outcomes: ReportOutcome[] = [];
        const answered = new Set<string>();
        for (const r of outcome.results) {
          // Results for reports this batch didn't carry are not ours to act on.
          if (!inBatch.has(r.id) || answered.has(r.id)) continue;
          const mapped = outcomeOf(kind, r);
          // A status this client doesn't know: leave the report queued and say so below.
          if (!mapped) continue;
          answered.add(r.id);
          outcomes.push(mapped);
        }
        const missing = batch.report_ids.filter((id) => !answered.has(id));
        let requeue: UploadBatch | undefined;
        if (missing.length > 0 && attempts >= config.maxAttempts) {
          // A receiver that keeps leaving reports out must not keep them queued forever.
          const reason = tp('errGaveUpNoAnswer', attempts);
          result.lastError = reason;
          deps.onEvent?.(reason);
          for (const id of missing) outcomes.push(failure(id, reason));
        } else if (missing.length > 0) {
          // The body changes (fewer reports), so the remainder needs its own key; the
          // receiver dedupes by report id if some of them did arrive.
          const error = t('errPartialAnswer', [formatNumber(answered.size), formatNumber(batch.report_ids.length), formatNumber(missing.length)]);
          requeue = {
            ...batch,
            id: newId(),
            report_ids: missing,
            payload: batch.payload.filter((p) => !answered.has(p.id)),
            attempts,
            next_attempt_at: now() + backoffDelay(attempts, config, random),
            last_error: error,
          };
          result.lastError = error;
          deps.onEvent?.(error);
        }
        if (await store.settle(batch.id, outcomes, requeue)) settled(outcomes);
        return false;
      }

      case 'retry': {
        if (attempts >= config.maxAttempts) {
          const reason = tp('errGaveUp', attempts, outcome.error);
          result.lastError = reason;
          deps.onEvent?.(reason);
          const outcomes = batch.report_ids.map((id) => failure(id, reason));
          if (await store.settle(batch.id, outcomes)) settled(outcomes);
          return false;
        }
        // Never sooner than the server asked, but a Retry-After of days is capped.
        const asked = Math.min(outcome.retryAfterMs ?? 0, config.maxRetryAfterMs);
        const wait = Math.max(backoffDelay(attempts, config, random), asked);
        const error = t('errWillRetry', outcome.error);
        result.lastError = error;
        deps.onEvent?.(`${outcome.error}; retry ${attempts} in ${formatWait(wait)}.`);
        await store.reschedule(batch.id, { attempts, next_attempt_at: now() + wait, last_error: error });
        return false;
      }

      case 'too_large': {
        if (batch.report_ids.length <= 1) {
          const reason = t('errReportTooLargeAlone');
          deps.onEvent?.(reason);
          const outcomes = batch.report_ids.map((id): ReportOutcome => ({ id, status: 'failed', reason }));
          if (await store.settle(batch.id, outcomes)) settled(outcomes);
          return false;
        }
        deps.onEvent?.(outcome.error);
        const half = Math.ceil(batch.payload.length / 2);
        const halves = [batch.payload.slice(0, half), batch.payload.slice(half)].map(
          (payload): UploadBatch => ({
            ...batch,
            id: newId(),
            report_ids: payload.map((p) => p.id),
            payload,
            next_attempt_at: now(),
            last_error: outcome.error,
          }),
        );
        await store.replace(batch.id, halves);
        return false;
      }

      case 'unauthorized': {
        // The user must act (a new token); a timer can't fix it and the reports must not be lost.
        result.lastError = outcome.error;
        result.held++;
        deps.onEvent?.(outcome.error);
        await store.hold(batch.id, outcome.error);
        return false;
      }

      case 'fatal': {
        result.lastError = outcome.error;
        deps.onEvent?.(outcome.error);
        const outcomes = batch.report_ids.map((id) => failure(id, outcome.error));
        if (await store.settle(batch.id, outcomes)) settled(outcomes);
        return false;
      }
    }
  }
}

/** What one result line means for its report, by what the batch did; undefined for a status we don't know. */
function outcomeOf(kind: 'upload' | 'update' | 'withdraw', r: { id: string; status: string; reason?: string }): ReportOutcome | undefined {
  switch (r.status) {
    case 'rejected':
      return {
        id: r.id,
        status: 'failed',
        reason: r.reason?.trim() ? t('errRejectedBecause', r.reason.trim()) : t('errRejectedNoReason'),
      };
    case 'accepted':
    case 'updated':
    case 'duplicate':
      if (kind === 'withdraw') return undefined;
      return { id: r.id, status: 'uploaded', remote: r.status };
    case 'withdrawn':
      return { id: r.id, status: 'withdrawn' };
    default:
      return undefined;
  }
}

function formatWait(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

/** When the background should wake up next to upload (undefined: nothing queued). */
export function nextWakeTime(store: OutboxStore): Promise<number | undefined> {
  return store.nextAttemptAt();
}

/**
 * Runs the outbox until it is empty, sleeping until each next attempt is due. For Node
 * (tests, benchmarks, scripts): the extension's background uses alarms instead, because a
 * timer dies with the service worker.
 */
export async function drainOutbox(deps: UploadDeps, options: { sleep?: (ms: number) => Promise<void>; deadline?: number } = {}): Promise<RunResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = deps.now ?? Date.now;
  const total: RunResult = { uploaded: 0, failed: 0, withdrawn: 0, held: 0, requests: 0, stopped: false };
  for (;;) {
    const run = await runOutbox(deps);
    total.uploaded += run.uploaded;
    total.failed += run.failed;
    total.withdrawn += run.withdrawn;
    total.held += run.held;
    total.requests += run.requests;
    total.lastError = run.lastError ?? total.lastError;
    total.nextAttemptAt = run.nextAttemptAt;
    if (run.stopped) return { ...total, stopped: true };
    if (run.nextAttemptAt === undefined) return total;
    if (options.deadline !== undefined && run.nextAttemptAt > options.deadline) return total;
    await sleep(Math.max(0, run.nextAttemptAt - now()));
  }
}
