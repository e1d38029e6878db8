/**
 * Erlang C: the M/M/c queue (Poisson arrivals, exponential service, c identical servers, one
 * shared first-come queue). HallCall uses it for staffing advice and the simulator's self-check.
 *
 * Notation: `load` a = λ·E[S] in Erlangs (busy windows needed on average), `servers` c.
 * Every function is pure and safe for large c (the Erlang B recursion never overflows).
 */

/** Erlang B blocking probability, by the stable recursion B(k) = a·B(k-1) / (k + a·B(k-1)). */
export function erlangB(servers: number, load: number): number {
  if (servers <= 0) return 1;
  if (load <= 0) return 0;
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (load * b) / (k + load * b);
  return b;
}

/** Probability that an arriving citizen has to wait (all c windows busy); 1 when c ≤ a (unstable). */
export function erlangC(servers: number, load: number): number {
  if (load <= 0) return 0;
  if (servers <= load) return 1;
  const b = erlangB(servers, load);
  return (servers * b) / (servers - load * (1 - b));
}

/**
 * Mean wait in the queue, in the unit of `meanServiceTime`: Wq = C(c, a) · E[S] / (c − a).
 * Infinity when the queue is unstable (c ≤ a); 0 with no load.
 */
export function erlangCMeanWait(servers: number, arrivalRate: number, meanServiceTime: number): number {
  const load = arrivalRate * meanServiceTime;
  if (load <= 0) return 0;
  if (servers <= load) return Infinity;
  return (erlangC(servers, load) * meanServiceTime) / (servers - load);
}

/** P(wait > t) = C · exp(−(c − a)·t / E[S]). */
export function erlangCWaitExceeds(servers: number, arrivalRate: number, meanServiceTime: number, t: number): number {
  const load = arrivalRate * meanServiceTime;
  if (load <= 0) return 0;
  if (servers <= load) return 1;
  return erlangC(servers, load) * Math.exp((-(servers - load) * t) / meanServiceTime);
}

/**
 * The fewest windows that keep the mean wait at or under `targetWait` (same unit as the service
 * time). At least 1 when anyone arrives, 0 when nobody does. Capped at `maxServers`.
 */
export function serversNeeded(arrivalRate: number, meanServiceTime: number, targetWait: number, maxServers = 1000): number {
  const load = arrivalRate * meanServiceTime;
  if (load <= 0) return 0;
  let c = Math.max(1, Math.floor(load) + 1);
  while (c < maxServers && erlangCMeanWait(c, arrivalRate, meanServiceTime) > targetWait) c++;
  return c;
}
