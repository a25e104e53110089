// The extension's upload client (DESIGN.md §8). The background wires it to alarms:
//   const store = createIdbOutboxStore(db);
//   await enqueueReady(db, { endpoint, client, driveId });              // user clicked Upload
//   const run = await runOutbox({ store, credentials: createIdbCredentials(db), fetch, onProgress }); // now, and on each alarm
//   if (run.nextAttemptAt) browser.alarms.create('upload', { when: run.nextAttemptAt });
export { runOutbox, drainOutbox, nextWakeTime } from './engine';
export {
  createIdbOutboxStore,
  enqueueReady,
  enqueueWithdraw,
  defaultPrepare,
  HELD_AT,
  type EnqueueOptions,
  type EnqueueResult,
  type WithdrawResult,
} from './outbox-idb';
export { createIdbCredentials, tokenForRequest, setToken, readTokens, originOf, type Credentials, type TokenTable } from './credentials';
export { DEFAULT_CONFIG, planBatches, backoffDelay, parseRetryAfter, requestBody } from './batching';
export { sendBatch, classify, MAX_RESPONSE_BYTES, type SendOutcome } from './send';
export type { OutboxStore, UploadBatch, ReportOutcome, UploadConfig, UploadDeps, UploadProgress, RunResult } from './types';
