/** The steps of a 一件事 ticket as the tracker and the counter show them, read from the server's ticket. */
import { describe, expect, it } from "vitest";
import { bundleSteps, stepsDone, type BundleTicket } from "../web/shared/bundle-steps.js";

const bundle = (patch: Partial<BundleTicket>): BundleTicket => ({ bundle: ["social", "medical", "estate"], bundleStep: 0, state: "waiting", parkReason: null, missingDocs: [], ...patch });
const states = (t: BundleTicket) => bundleSteps(t).map((s) => s.state);

describe("a 一件事 ticket's steps", () => {
  it("a ticket of one service has no steps to show", () => {
    expect(bundleSteps(bundle({ bundle: [] }))).toEqual([]);
  });

  it("a new bundle is in line for its first service, with the others to come", () => {
    expect(bundleSteps(bundle({}))).toEqual([
      { index: 0, serviceId: "social", state: "waiting", parkReason: null, missingDocs: [] },
      { index: 1, serviceId: "medical", state: "upcoming", parkReason: null, missingDocs: [] },
      { index: 2, serviceId: "estate", state: "upcoming", parkReason: null, missingDocs: [] },
    ]);
  });

  it("the current step is called or served as the ticket is", () => {
    expect(states(bundle({ state: "called" }))).toEqual(["called", "upcoming", "upcoming"]);
    expect(states(bundle({ bundleStep: 1, state: "serving" }))).toEqual(["done", "serving", "upcoming"]);
  });

  it("after a step's finish the served steps are done and the next is in line", () => {
    const steps = bundleSteps(bundle({ bundleStep: 1, state: "waiting" }));
    expect(steps.map((s) => s.state)).toEqual(["done", "waiting", "upcoming"]);
    expect(stepsDone(steps)).toBe(1);
  });

  it("a finished bundle has every step done", () => {
    const steps = bundleSteps(bundle({ bundleStep: 2, state: "finished" }));
    expect(steps.map((s) => s.state)).toEqual(["done", "done", "done"]);
    expect(stepsDone(steps)).toBe(3);
  });

  it("a parked step carries its reason and every document it still needs (一次告知)", () => {
    const steps = bundleSteps(bundle({ bundleStep: 1, state: "parked", parkReason: "材料不全", missingDocs: ["户口本原件", "近期免冠照片"] }));
    expect(steps[1]).toEqual({ index: 1, serviceId: "medical", state: "parked", parkReason: "材料不全", missingDocs: ["户口本原件", "近期免冠照片"] });
    expect(steps[0]!.missingDocs).toEqual([]);
    expect(steps[2]!.missingDocs).toEqual([]);
  });

  it("documents told at a park are not asked again once the step is resumed or the next one begins", () => {
    const told = { parkReason: "材料不全", missingDocs: ["户口本原件"] };
    expect(bundleSteps(bundle({ ...told, state: "serving" }))[0]).toMatchObject({ state: "serving", parkReason: null, missingDocs: [] });
    expect(bundleSteps(bundle({ ...told, bundleStep: 1, state: "waiting" }))[1]).toMatchObject({ state: "waiting", missingDocs: [] });
  });

  it("a matter that ended at a step without its service leaves the later steps not reached", () => {
    expect(states(bundle({ bundleStep: 1, state: "noShow" }))).toEqual(["done", "noShow", "dropped"]);
    expect(states(bundle({ state: "cancelled" }))).toEqual(["cancelled", "dropped", "dropped"]);
  });
});
