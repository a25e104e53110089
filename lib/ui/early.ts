// The popup's first two requests, sent by a tiny classic script while popup.html is still
// being parsed (entrypoints/popup-early.ts) instead of after the app's bundle has loaded and
// run. When Chrome has stopped the service worker (it does after 30 s idle), the worker then
// starts, evaluates its bundle, opens IndexedDB and reads the first page while the popup's own
// code loads, not after it. They are the app's own requests, answered by the same background
// handler (the UI still never touches storage); the app's transport takes each reply once.
//
// This module must stay small and import nothing heavy: the early script bundles it alone.
import type { Transport } from './api';

/** Reports per page of the list (components/ReportList.tsx). */
export const PAGE_SIZE = 20;

type Send = (message: unknown) => Promise<unknown>;
type Replies = Map<string, Promise<unknown>>;
const GLOBAL_KEY = '__soundsLocalEarlyReplies';
type Holder = { [GLOBAL_KEY]?: Replies };

/**
 * What the popup asks for first (components/PopupApp.tsx), as the api sends it: the list's
 * first page and the state without counts. A popup opened on one report (`?report=`, "Open
 * in tab") starts in the editor, which asks for other things.
 */
export function firstRequests(search: string): object[] {
  if (new URLSearchParams(search).has('report')) return [];
  return [
    { type: 'list-reports', limit: PAGE_SIZE },
    { type: 'get-state', counts: false },
  ];
}

const keyOf = (message: unknown) => JSON.stringify(message);

/** Send the first requests now and keep their replies for the app (the early script). */
export function sendEarly(send: Send, search: string, holder: object = globalThis): void {
  const replies: Replies = new Map();
  for (const message of firstRequests(search)) {
    const reply = send(message);
    // The app handles a failure when it takes the reply; unhandled until then is not an error.
    reply.catch(() => {});
    replies.set(keyOf(message), reply);
  }
  (holder as Holder)[GLOBAL_KEY] = replies;
}

/** A transport that answers each early request once from its kept reply, and sends the rest. */
export function earlyTransport(transport: Transport, holder: object = globalThis): Transport {
  return ((message: unknown) => {
    const replies = (holder as Holder)[GLOBAL_KEY];
    const key = keyOf(message);
    const early = replies?.get(key);
    if (!early) return transport(message as never);
    replies!.delete(key);
    return early;
  }) as Transport;
}
