// Fault mode for soak tests (FAULT_RATE=0.3): a share of upload requests fail the ways real
// networks and overloaded servers fail. Some faults strike *after* the batch is stored —
// the client never hears the answer and must resend under the same Idempotency-Key — which
// is exactly the case that loses or duplicates reports in a careless client.

export const FAULT_KINDS = [
  'error-500', // answer 500 without storing
  'error-503', // answer 503 without storing
  'throttle-429', // answer 429 with Retry-After
  'drop-before', // close the connection without storing or answering
  'drop-after', // store the batch, then close the connection without answering
  'stall-after', // store the batch, then never answer (until the client gives up)
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultOptions {
  /** Share of upload requests that fail, 0..1. */
  rate: number;
  /** Makes the sequence of faults reproducible. */
  seed?: number;
  /** Retry-After seconds sent with 429. */
  retryAfterSeconds: number;
  /** How long a stalled request is held before the server drops it itself. */
  stallMs: number;
  kinds?: readonly FaultKind[];
}

export class FaultInjector {
  private readonly random: () => number;
  private readonly kinds: readonly FaultKind[];

  constructor(readonly options: FaultOptions) {
    this.random = options.seed === undefined ? Math.random : mulberry32(options.seed);
    this.kinds = options.kinds?.length ? options.kinds : FAULT_KINDS;
  }

  /** The fault for the next request, or undefined to serve it normally. */
  pick(): FaultKind | undefined {
    if (this.random() >= this.options.rate) return undefined;
    return this.kinds[Math.floor(this.random() * this.kinds.length)];
  }
}

/** A small seeded PRNG (Mulberry32): reproducible fault sequences, nothing cryptographic. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
