/**
 * The four charts of the reports page as ECharts options, built from what the server sent: the
 * figures are only converted (seconds to minutes) and labelled, never computed here.
 */
import { RATING_LABELS, WEEKDAY_NAMES, type ReportRow, type ReportSummary } from "../../protocol/index.js";
import { tr } from "../../web/shared/i18n.js";
import type { ChartOption } from "./echarts.js";
import { groupName } from "./format.js";

/** The 好差评 levels' colours, as on the rating pad (pad/rating-buttons.ts), best first. */
export const RATING_COLOURS: Record<number, string> = { 5: "#15803d", 4: "#4d7c0f", 3: "#a16207", 2: "#c2410c", 1: "#b91c1c" };

const TEXT = "#e2e8f0";
const MUTED = "#94a3b8";
const LINE = "#334155";
const axisStyle = { axisLine: { lineStyle: { color: MUTED } }, axisLabel: { color: TEXT, fontSize: 13 }, splitLine: { lineStyle: { color: LINE } } };
const base: ChartOption = {
  backgroundColor: "transparent",
  textStyle: { color: TEXT, fontFamily: "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif" },
  tooltip: { trigger: "axis", confine: true },
  legend: { top: 0, textStyle: { color: TEXT, fontSize: 13 } },
  grid: { left: 12, right: 16, top: 36, bottom: 8, containLabel: true },
  animation: false,
};
const minutes = (sec: number | null) => (sec === null ? null : Math.round((sec / 60) * 10) / 10);

/** Tickets issued and served on each day (by=day). */
export function ticketsPerDay(rows: ReportRow[]): ChartOption {
  return {
    ...base,
    xAxis: { type: "category", data: rows.map((r) => r.key.slice(5)), ...axisStyle },
    yAxis: { type: "value", minInterval: 1, ...axisStyle },
    series: [
      { type: "bar", name: tr({ zh: "取号", en: "Issued" }), data: rows.map((r) => r.issued), itemStyle: { color: "#60a5fa" } },
      { type: "bar", name: tr({ zh: "办结", en: "Served" }), data: rows.map((r) => r.served), itemStyle: { color: "#4ade80" } },
    ],
  };
}

/** Each service's mean and p90 wait against its target wait, minutes (by=service). */
export function waitsAgainstTarget(rows: ReportRow[]): ChartOption {
  const unit = tr({ zh: " 分钟", en: " min" });
  return {
    ...base,
    tooltip: { ...base.tooltip, valueFormatter: (v) => (v === null || v === undefined ? "—" : `${String(v)}${unit}`) },
    xAxis: { type: "category", data: rows.map((r) => groupName("service", r)), ...axisStyle },
    yAxis: { type: "value", name: tr({ zh: "分钟", en: "min" }), nameTextStyle: { color: MUTED }, ...axisStyle },
    series: [
      { type: "bar", name: tr({ zh: "平均等候", en: "Mean wait" }), data: rows.map((r) => minutes(r.waitMeanSec)), itemStyle: { color: "#60a5fa" } },
      { type: "bar", name: tr({ zh: "P90 等候", en: "P90 wait" }), data: rows.map((r) => minutes(r.waitP90Sec)), itemStyle: { color: "#a78bfa" } },
      { type: "scatter", name: tr({ zh: "目标等候", en: "Target wait" }), data: rows.map((r) => minutes(r.targetWaitSec)), symbol: "rect", symbolSize: [56, 4], itemStyle: { color: "#f5b301" }, z: 5 },
    ],
  };
}

/** The range's ratings by level, 非常满意 first, in the pad's colours. */
export function ratingDistribution(total: ReportRow): ChartOption {
  const levels = [5, 4, 3, 2, 1];
  return {
    ...base,
    legend: { show: false },
    tooltip: { ...base.tooltip, axisPointer: { type: "shadow" } },
    grid: { ...base.grid, top: 28 },
    xAxis: { type: "category", data: levels.map((l) => tr(RATING_LABELS[l]!)), ...axisStyle },
    yAxis: { type: "value", minInterval: 1, ...axisStyle },
    series: [
      {
        type: "bar",
        name: tr({ zh: "评价数", en: "Ratings" }),
        data: levels.map((l) => ({ value: total.ratings[l - 1]!, itemStyle: { color: RATING_COLOURS[l] } })),
        label: { show: true, position: "top", color: TEXT, fontSize: 14 },
        barMaxWidth: 64,
      },
    ],
  };
}

const WEEKDAYS = Object.values(WEEKDAY_NAMES);

/** Tickets issued by weekday (rows, Monday on top) and hour of the day (columns), for staffing. */
export function arrivalsHeatmap(arrivals: ReportSummary["arrivals"]): ChartOption {
  const data = arrivals.flatMap((hours, day) => hours.map((n, hour) => [hour, day, n] as [number, number, number]));
  const max = Math.max(1, ...data.map((d) => d[2]));
  return {
    ...base,
    legend: { show: false },
    tooltip: {
      trigger: "item",
      confine: true,
      formatter: (p) => {
        const [hour, day, n] = (p as unknown as { value: [number, number, number] }).value;
        return `${tr(WEEKDAYS[day]!)} ${String(hour).padStart(2, "0")}:00–${String(hour + 1).padStart(2, "0")}:00<br/>${tr({ zh: `取号 ${n}`, en: `${n} issued` })}`;
      },
    },
    grid: { left: 12, right: 16, top: 8, bottom: 44, containLabel: true },
    xAxis: { type: "category", data: Array.from({ length: 24 }, (_, h) => String(h).padStart(2, "0")), ...axisStyle, splitArea: { show: true } },
    yAxis: { type: "category", inverse: true, data: WEEKDAYS.map((w) => tr(w)), ...axisStyle, splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: false, orient: "horizontal", left: "center", bottom: 0, itemHeight: 180, textStyle: { color: TEXT }, inRange: { color: ["#0f2744", "#1d4ed8", "#f5b301", "#dc2626"] } },
    series: [{ type: "heatmap", name: tr({ zh: "取号", en: "Issued" }), data, label: { show: false }, emphasis: { itemStyle: { borderColor: "#fff", borderWidth: 1 } } }],
  };
}
