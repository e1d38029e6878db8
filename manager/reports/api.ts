/**
 * The reports page's calls to the server: the summary (JSON) and the downloads (files), each with
 * the manager's Bearer token. A plain link cannot send that header, so a download is fetched as a
 * blob and saved through an object URL.
 */
import type { ReportGrouping, ReportSummary } from "../../protocol/index.js";

/** A refusal from the server (its error code and message), or NETWORK when it could not be reached. */
export class ReportError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const base = (hallId: string) => `/api/halls/${encodeURIComponent(hallId)}/reports`;

async function get(url: string, token: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  } catch {
    throw new ReportError("NETWORK", "No network", 0);
  }
  if (res.ok) return res;
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  throw new ReportError(body.error?.code ?? (res.status === 404 ? "NOT_FOUND" : "INTERNAL"), body.error?.message ?? res.statusText, res.status);
}

export interface Range {
  from: string;
  to: string;
}

export async function fetchSummary(hallId: string, token: string, range: Range, by: ReportGrouping): Promise<ReportSummary> {
  const q = new URLSearchParams({ from: range.from, to: range.to, by });
  const res = await get(`${base(hallId)}/summary?${q}`, token);
  return (await res.json()) as ReportSummary;
}

export type Download = "tickets.csv" | "tickets.xlsx" | "summary.xlsx";

/** The file name the server gave (Content-Disposition), else one made of the range. */
function fileName(res: Response, file: Download, range: Range): string {
  const cd = res.headers.get("content-disposition") ?? "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) return decodeURIComponent(star[1]!);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  if (plain) return plain[1]!;
  const [name, ext] = file.split(".");
  return `${name}-${range.from}-${range.to}.${ext}`;
}

/** Fetches one export with the token and hands it to the browser as a download. */
export async function download(hallId: string, token: string, file: Download, range: Range): Promise<void> {
  const q = new URLSearchParams({ from: range.from, to: range.to });
  const res = await get(`${base(hallId)}/${file}?${q}`, token);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName(res, file, range);
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has read the URL once the click is handled; keep it a moment for slow machines.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Today in the hall's zone, and the day `days` before it (YYYY-MM-DD). */
export function lastDays(timezone: string, days: number, now = Date.now()): Range {
  const fmt = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" });
  const to = fmt.format(now);
  const d = new Date(`${to}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - (days - 1));
  return { from: d.toISOString().slice(0, 10), to };
}
