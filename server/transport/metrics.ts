/** Prometheus metrics, one registry per app instance so tests can build many apps in a process. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { HallEvent } from "../../protocol/index.js";

export class HallMetrics {
  readonly registry = new Registry();
  readonly ticketsIssued = new Counter({ name: "hallcall_tickets_issued_total", help: "Tickets issued", labelNames: ["hall", "service", "channel"], registers: [this.registry] });
  readonly waits = new Histogram({
    name: "hallcall_wait_seconds",
    help: "Wait from queueing to first call",
    labelNames: ["hall", "service"],
    buckets: [60, 300, 600, 1200, 1800, 3600, 7200],
    registers: [this.registry],
  });
  readonly commandLatency = new Histogram({
    name: "hallcall_command_duration_seconds",
    help: "Time from receiving a command to its ack",
    labelNames: ["command", "outcome"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly sockets = new Gauge({ name: "hallcall_connected_sockets", help: "Connected sockets by role", labelNames: ["role"], registers: [this.registry] });
  readonly events = new Counter({ name: "hallcall_events_total", help: "Hall events produced by this node", labelNames: ["type"], registers: [this.registry] });

  constructor(defaults = true) {
    if (defaults) collectDefaultMetrics({ register: this.registry });
  }

  observeEvent(e: HallEvent): void {
    this.events.inc({ type: e.type });
    if (e.type === "ticket:issued") this.ticketsIssued.inc({ hall: e.hallId, service: e.ticket.serviceId, channel: e.ticket.channel });
    if (e.type === "ticket:called" && !e.recall) this.waits.observe({ hall: e.hallId, service: e.ticket.serviceId }, e.waitSec);
  }
}
