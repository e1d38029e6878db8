/**
 * Cases (工单) of the 办不成事 window: a matter the normal windows could not solve, opened from the
 * ticket at an escalation window and followed until it is solved. What the counter app, the
 * console and the public progress page (/case/) send and receive. A case lives in the records
 * (it outlasts the day); its public link carries an unguessable key, its readable number
 * (BB-20261202-007) is for people.
 */
import { z } from "zod";
import { Bilingual, CommandId, Id } from "./schemas.js";
import { OneLineText } from "./text.js";
import { CalendarDate } from "./hours.js";

export const CaseState = z.enum(["open", "waitingForCitizen", "resolved", "closed"]);
export type CaseState = z.infer<typeof CaseState>;

/** A hall's case categories and each one's deadline in working days (hall config `cases.categories`). */
export const CaseCategory = z.object({ id: Id, name: Bilingual, workingDays: z.number().int().min(1).max(365) });
export type CaseCategory = z.infer<typeof CaseCategory>;

const Text = OneLineText(500);
const Department = OneLineText(100);

/** Socket `case:open` (a counter at its own escalation window, for the ticket at it; or a manager naming the escalation window). */
export const CaseOpen = z.strictObject({
  commandId: CommandId,
  windowId: Id,
  category: Id,
  summary: Text.pipe(z.string().min(1, "a summary")),
  departments: z.array(Department).max(10).default([]),
  /** The citizen's contact phone (masked whenever shown). */
  phone: z.string().regex(/^1[3-9]\d{9}$/, "an 11-digit mobile number"),
  /** Working days to the deadline; the category's when left out. */
  workingDays: z.number().int().min(1).max(365).optional(),
});
export type CaseOpen = z.input<typeof CaseOpen>;

/** Socket `case:update`: one step. */
export const CaseUpdate = z.strictObject({
  commandId: CommandId,
  caseId: z.string().min(1).max(64),
  step: z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("assign"), department: Department }),
    z.strictObject({ kind: z.literal("note"), note: Text }),
    /** 一次告知: what the citizen still has to bring. */
    z.strictObject({ kind: z.literal("requestDocument"), document: OneLineText(100) }),
    z.strictObject({ kind: z.literal("documentReceived"), document: OneLineText(100) }),
    z.strictObject({ kind: z.literal("resolve"), resolution: Text.pipe(z.string().min(1, "the resolution")) }),
  ]),
});
export type CaseUpdate = z.input<typeof CaseUpdate>;

/** Socket `case:close`: after the citizen confirmed (or rated) the resolution. */
export const CaseClose = z.strictObject({
  commandId: CommandId,
  caseId: z.string().min(1).max(64),
  confirmed: z.boolean(),
  /** The citizen's 好差评 of the resolution, when given. */
  rating: z.number().int().min(1).max(5).optional(),
  note: Text.optional(),
});
export type CaseClose = z.input<typeof CaseClose>;

export const CaseStep = z.object({
  kind: z.enum(["opened", "assign", "note", "requestDocument", "documentReceived", "resolve", "close"]),
  at: z.number(),
  /** Staff id (never shown on the public page). */
  by: z.string(),
  text: z.string(),
});

/** A case as staff see it (counter, console): the phone masked. */
export const CaseView = z.object({
  id: z.string(),
  /** The public page's credential (in `url` too); staff screens use it to follow the case's room. */
  key: z.string(),
  /** Readable: BB-20261202-007. */
  number: z.string(),
  hallId: Id,
  state: CaseState,
  category: Id,
  categoryName: Bilingual,
  summary: z.string(),
  departments: z.array(z.string()),
  /** The department handling it now (the last assigned), or null. */
  department: z.string().nullable(),
  phone: z.string(),
  ticketNumber: z.string(),
  openedAt: z.number(),
  openedBy: z.string(),
  /** Business date the deadline falls on (working days from the opening). */
  dueDate: CalendarDate,
  overdue: z.boolean(),
  /** Documents asked for and not yet received (一次告知). */
  documentsNeeded: z.array(z.string()),
  resolution: z.string().nullable(),
  resolvedAt: z.number().nullable(),
  closedAt: z.number().nullable(),
  rating: z.number().int().nullable(),
  steps: z.array(CaseStep),
  /** The public progress page (the key is the citizen's credential). */
  url: z.string(),
});
export type CaseView = z.infer<typeof CaseView>;

/** GET /api/halls/:hallId/cases/:key — what the citizen's page shows: no staff ids, the phone masked. */
export const PublicCase = z.object({
  number: z.string(),
  state: CaseState,
  categoryName: Bilingual,
  summary: z.string(),
  department: z.string().nullable(),
  openedAt: z.number(),
  dueDate: CalendarDate,
  overdue: z.boolean(),
  documentsNeeded: z.array(z.string()),
  resolution: z.string().nullable(),
  /** The steps done, oldest first, in plain words; the steps to come follow from `state`. */
  steps: z.array(z.object({ kind: CaseStep.shape.kind, at: z.number(), text: z.string() })),
  /** How to appeal (申诉): the hall's own words (config `cases.appeal`). */
  appeal: Bilingual,
});
export type PublicCase = z.infer<typeof PublicCase>;

/** GET /api/halls/:hallId/cases?state=open|all (manager): the case board. */
export const CaseBoard = z.object({
  today: CalendarDate,
  cases: z.array(CaseView),
  /** Counts for the board's heads. */
  open: z.number().int(),
  dueWithinWorkingDay: z.number().int(),
  overdue: z.number().int(),
  byCategory: z.record(z.string(), z.number().int()),
  byDepartment: z.record(z.string(), z.number().int()),
});
export type CaseBoard = z.infer<typeof CaseBoard>;

/** GET /api/halls/:hallId/cases/report?month=YYYY-MM (manager): which kinds of problem keep coming back. */
export const CaseReport = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  rows: z.array(z.object({ category: Id, name: Bilingual, opened: z.number().int(), resolved: z.number().int(), closed: z.number().int(), overdue: z.number().int(), meanWorkingDaysToResolve: z.number().nullable() })),
});
export type CaseReport = z.infer<typeof CaseReport>;

/** Pushed to the case's public page (socket event `case:updated`): it reads its public view again. */
export const CaseUpdated = z.object({ hallId: Id, key: z.string(), number: z.string(), state: CaseState, at: z.number() });
export type CaseUpdated = z.infer<typeof CaseUpdated>;

/**
 * Pushed to staff screens (socket event `case:changed`): the hall's managers and the counters at
 * its escalation windows get the case as staff see it after the change, and show it as sent.
 * Each change adds a step, so of two copies of one case the one with more steps is the newer.
 */
export const CaseChanged = z.object({ hallId: Id, at: z.number(), case: CaseView });
export type CaseChanged = z.infer<typeof CaseChanged>;

/** Socket `case:get` (staff). */
export const CaseGet = z.strictObject({ caseId: z.string().min(1).max(64) });
export type CaseGet = z.input<typeof CaseGet>;

/** Socket `case:list` (a counter at an escalation window, or a manager): "open" is every case not closed. */
export const CaseList = z.strictObject({ state: z.enum(["open", "all"]).default("open") });
export type CaseList = z.input<typeof CaseList>;

/** GET /api/halls/:hallId/cases?state= */
export const CasesQuery = z.object({ state: z.enum(["open", "all"]).default("open") });

/** GET /api/halls/:hallId/cases/report?month= */
export const CaseReportQuery = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "YYYY-MM") });
