/**
 * The case desk: what the socket handlers (`case:*`) and the REST routes (cases-rest.ts) share
 * about cases (工单). It finds the ticket at the escalation window, takes the deadline and the
 * names from the hall's config, and turns the records' cases into the views the protocol gives.
 * The rules are the domain's (domain/case.ts); the records commit (records/cases.ts).
 */
import type { z } from "zod";
import { HallCallError, type CaseBoard, CaseClose, CaseOpen, type CaseReport, CaseUpdate, type CaseView, type PublicCase } from "../../protocol/index.js";
import { boardCounts, caseTicketAt, categoryOf, currentDepartment, documentsNeeded, dueDateOf, hasCategory, isOverdue, publicCase } from "../domain/case.js";
import { businessDate } from "../domain/clock.js";
import type { HallConfig } from "../domain/config.js";
import { maskPhone } from "../domain/masking.js";
import { caseReport, type CaseChange, type CaseRecord, type CaseStore } from "../records/cases.js";
import type { HallContext } from "./context.js";

/** Who acts: the staff member, and the window a counter is signed in at (null for a manager). */
export interface CaseActor {
  staffId: string;
  windowId: string | null;
}

/** The commands as their schemas parse them (defaults filled in). */
export type CaseOpenInput = z.output<typeof CaseOpen>;
export type CaseUpdateInput = z.output<typeof CaseUpdate>;
export type CaseCloseInput = z.output<typeof CaseClose>;

/** The public page of a case: `${origin}/case/?hall=<hallId>&id=<key>`. */
export const caseUrl = (origin: string, hallId: string, key: string): string => `${origin.replace(/\/+$/, "")}/case/?${new URLSearchParams({ hall: hallId, id: key })}`;

export class CaseDesk {
  constructor(
    private readonly ctx: HallContext,
    readonly cases: CaseStore,
  ) {}

  today(hall: HallConfig): string {
    return businessDate(this.ctx.clock.now(), hall.timezone);
  }

  /** A case as staff see it: the names from the config in force, the phone masked, whether it is overdue today. */
  view(hall: HallConfig, r: CaseRecord, origin: string): CaseView {
    const category = categoryOf(hall, r.category);
    return {
      id: r.id,
      key: r.key,
      number: r.number,
      hallId: r.hallId,
      state: r.state,
      category: r.category,
      categoryName: category.name,
      summary: r.summary,
      departments: r.departments,
      department: currentDepartment(r.steps, r.departments),
      phone: r.phone === null ? "" : maskPhone(r.phone),
      ticketNumber: r.ticketNumber,
      openedAt: r.openedAt,
      openedBy: r.openedBy,
      dueDate: r.dueDate,
      overdue: isOverdue(r, this.today(hall)),
      documentsNeeded: documentsNeeded(r.steps),
      resolution: r.resolution,
      resolvedAt: r.resolvedAt,
      closedAt: r.closedAt,
      rating: r.rating,
      steps: r.steps.map((s) => ({ kind: s.kind, at: s.at, by: s.by, text: s.text })),
      url: caseUrl(origin, hall.id, r.key),
    };
  }

  publicView(hall: HallConfig, r: CaseRecord): PublicCase {
    return publicCase(this.view(hall, r, ""), hall.cases.appeal);
  }

  /**
   * Opens a case from the ticket at the escalation window. A counter opens only at its own window
   * (FORBIDDEN); a repeated commandId answers the case it opened, whatever the window holds now.
   */
  async open(hall: HallConfig, input: CaseOpenInput, by: CaseActor): Promise<CaseChange> {
    const repeat = await this.cases.getByCommand(hall.id, input.commandId);
    if (repeat) return { case: repeat, changed: false };
    if (by.windowId !== null && by.windowId !== input.windowId) throw new HallCallError("FORBIDDEN", "A counter opens cases at its own window only.");
    if (!hasCategory(hall, input.category)) throw new HallCallError("VALIDATION", `No case category "${input.category}" in this hall.`);
    const snapshot = await this.ctx.store.snapshot(hall.id);
    const ticketId = caseTicketAt(hall, input.windowId, snapshot.windows.find((w) => w.id === input.windowId)?.ticketId ?? null);
    const ticket = await this.ctx.store.ticket(hall.id, ticketId);
    if (!ticket) throw new HallCallError("NOT_ESCALATION", `Window ${input.windowId} holds no ticket to open a case from.`);
    const today = this.today(hall);
    const workingDays = input.workingDays ?? categoryOf(hall, input.category).workingDays;
    return this.cases.open(
      hall.id,
      {
        commandId: input.commandId,
        category: input.category,
        summary: input.summary,
        departments: input.departments,
        phone: input.phone,
        ticketId: ticket.id,
        ticketNumber: ticket.number,
        windowId: input.windowId,
        dueDate: dueDateOf(today, workingDays, hall.calendar),
        prefix: hall.cases.prefix,
      },
      { by: by.staffId, now: this.ctx.clock.now(), today },
    );
  }

  update(hall: HallConfig, input: CaseUpdateInput, by: CaseActor): Promise<CaseChange> {
    return this.cases.step(hall.id, input.caseId, input.commandId, input.step, { by: by.staffId, now: this.ctx.clock.now(), today: this.today(hall) });
  }

  close(hall: HallConfig, input: CaseCloseInput, by: CaseActor): Promise<CaseChange> {
    const { caseId, ...closing } = input;
    return this.cases.close(hall.id, caseId, closing, { by: by.staffId, now: this.ctx.clock.now(), today: this.today(hall) });
  }

  async get(hall: HallConfig, caseId: string): Promise<CaseRecord> {
    return (await this.cases.get(hall.id, caseId)) ?? unknown(caseId);
  }

  async board(hall: HallConfig, state: "open" | "all", origin: string): Promise<CaseBoard> {
    const today = this.today(hall);
    const cases = (await this.cases.list(hall.id, state)).map((r) => this.view(hall, r, origin));
    return { today, cases, ...boardCounts(cases, today, hall.calendar) };
  }

  async report(hall: HallConfig, month: string): Promise<CaseReport> {
    return { month, rows: await caseReport(this.cases, hall, `${month}-01`, `${month}-31`, this.today(hall)) };
  }
}

const unknown = (caseId: string): never => {
  throw new HallCallError("UNKNOWN_CASE", `No case "${caseId}" in this hall.`);
};
