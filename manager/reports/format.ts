/** How the reports page writes the server's figures: minutes, percentages, group names. */
import type { ReportGrouping, ReportRow } from "../../protocol/index.js";
import { tr } from "../../web/shared/i18n.js";

export const DASH = "—";

/** Seconds as minutes with one decimal; "—" when there is nothing to measure. */
export const min = (sec: number | null): string => (sec === null ? DASH : (sec / 60).toFixed(1));

/** A 0…1 share as a whole percentage ("—" for none). */
export const pct = (share: number | null): string => (share === null ? DASH : `${(share * 100).toFixed(share === 1 || share === 0 ? 0 : 1)}%`);

/** The row's name: the day, the hour span, or the service's, window's or staff member's name. */
export function groupName(by: ReportGrouping, row: ReportRow): string {
  if (row.key === "total") return tr({ zh: "合计", en: "Total" });
  if (by === "hour") {
    const h = Number(row.key);
    return `${row.key}:00–${String(h + 1).padStart(2, "0")}:00`;
  }
  return row.label ? tr(row.label) : row.key;
}

export const GROUPINGS: { by: ReportGrouping; label: { zh: string; en: string } }[] = [
  { by: "day", label: { zh: "按日", en: "By day" } },
  { by: "service", label: { zh: "按事项", en: "By service" } },
  { by: "window", label: { zh: "按窗口", en: "By window" } },
  { by: "staff", label: { zh: "按人员", en: "By staff" } },
  { by: "hour", label: { zh: "按时段", en: "By hour" } },
];
