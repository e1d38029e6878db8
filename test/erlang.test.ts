import { describe, expect, it } from "vitest";
import { erlangB, erlangC, erlangCMeanWait, erlangCWaitExceeds, serversNeeded } from "../server/domain/erlang.js";

/** Erlang C straight from its textbook sum, to check the stable recursion against. */
function erlangCBySum(c: number, a: number): number {
  let sum = 0;
  let term = 1;
  for (let k = 0; k < c; k++) {
    sum += term;
    term = (term * a) / (k + 1);
  }
  const top = (term * c) / (c - a);
  return top / (sum + top);
}

describe("Erlang C", () => {
  it("agrees with the textbook sum", () => {
    for (const [c, a] of [[1, 0.5], [2, 1], [3, 2], [4, 3.2], [10, 8.5], [16, 15]] as const) {
      expect(erlangC(c, a)).toBeCloseTo(erlangCBySum(c, a), 10);
    }
  });

  it("one window is the M/M/1 queue: wait = ρ/(1−ρ) × service time", () => {
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 12);
    expect(erlangCMeanWait(1, 0.5, 1)).toBeCloseTo(1, 12);
    expect(erlangCMeanWait(1, 0.09, 10)).toBeCloseTo(90, 9);
  });

  it("two windows at load 1 wait with probability 1/3", () => {
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 12);
  });

  it("a queue that cannot keep up waits forever; an empty hall not at all", () => {
    expect(erlangCMeanWait(3, 1, 3)).toBe(Infinity);
    expect(erlangC(3, 3)).toBe(1);
    expect(erlangCMeanWait(3, 0, 8)).toBe(0);
  });

  it("stays finite for a large hall", () => {
    const w = erlangCMeanWait(400, 390 / 8, 8);
    expect(Number.isFinite(w)).toBe(true);
    expect(w).toBeGreaterThan(0);
  });

  it("tail probability starts at C and decays", () => {
    expect(erlangCWaitExceeds(4, 0.4, 8, 0)).toBeCloseTo(erlangC(4, 3.2), 12);
    expect(erlangCWaitExceeds(4, 0.4, 8, 10)).toBeLessThan(erlangCWaitExceeds(4, 0.4, 8, 5));
  });

  it("windows needed is the fewest that keep the mean wait under target", () => {
    // 27 citizens an hour at 8 minutes each: 3.6 windows busy on average.
    const n = serversNeeded(27 / 60, 8, 5);
    expect(erlangCMeanWait(n, 27 / 60, 8)).toBeLessThanOrEqual(5);
    expect(erlangCMeanWait(n - 1, 27 / 60, 8)).toBeGreaterThan(5);
    expect(serversNeeded(0, 8, 5)).toBe(0);
    expect(serversNeeded(0.01, 8, 100)).toBe(1);
  });
});
