/**
 * The steps of a 一件事 (bundle) ticket, read from the ticket the server sent: `bundle` is the
 * services in order, `bundleStep` the current one and `state` where the current one stands. The
 * tracker's progress bar and the counter's current-ticket panel both show these, so a citizen and
 * a counter read the same steps.
 *
 *   bundleSteps({ bundle: ["social", "medical"], bundleStep: 0, state: "serving", … })
 *   // → [{ serviceId: "social", state: "serving", … }, { serviceId: "medical", state: "upcoming", … }]
 */
import type { Ticket } from "../../protocol/index.js";

/**
 * - `done`: served (every step before the current one; all of them once the ticket is finished).
 * - `waiting`, `called`, `serving`, `parked`: the current step, as the ticket is.
 * - `upcoming`: a later step, still to come.
 * - `noShow`, `cancelled`: the matter ended at this step without its service.
 * - `dropped`: a later step of a matter that ended before reaching it.
 */
export type BundleStepState = "done" | "waiting" | "called" | "serving" | "parked" | "upcoming" | "noShow" | "cancelled" | "dropped";

export interface BundleStep {
  /** 0-based position in the bundle. */
  index: number;
  serviceId: string;
  state: BundleStepState;
  /** Why the current step is on hold; null unless it is parked. */
  parkReason: string | null;
  /** What the current step still needs (一次告知); empty unless it is parked. */
  missingDocs: string[];
}

export type BundleTicket = Pick<Ticket, "bundle" | "bundleStep" | "state" | "parkReason" | "missingDocs">;

/** The steps of a bundle ticket, in order; empty for a ticket of one service. */
export function bundleSteps(t: BundleTicket): BundleStep[] {
  const ended = t.state === "noShow" || t.state === "cancelled";
  return t.bundle.map((serviceId, index) => {
    const state: BundleStepState =
      index < t.bundleStep || t.state === "finished" ? "done" : index > t.bundleStep ? (ended ? "dropped" : "upcoming") : t.state;
    // The server keeps a park's documents on the ticket after it is resumed or moves to its next
    // step (the counter sees what was told); only a step on hold still needs them.
    const parked = state === "parked";
    return { index, serviceId, state, parkReason: parked ? t.parkReason : null, missingDocs: parked ? t.missingDocs : [] };
  });
}

/** The steps that are served, for "2/3 办完". */
export const stepsDone = (steps: BundleStep[]): number => steps.filter((s) => s.state === "done").length;
