/** A small leveled logger writing one line per entry; enough for a hall server's journal. */
export type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, extra?: unknown): void;
  info(msg: string, extra?: unknown): void;
  warn(msg: string, extra?: unknown): void;
  error(msg: string, extra?: unknown): void;
}

export function createLogger(level: Level = "info", name = "hallcall"): Logger {
  const write = (l: Level) => (msg: string, extra?: unknown) => {
    if (ORDER[l] < ORDER[level]) return;
    const line = `${new Date().toISOString()} ${l.toUpperCase()} [${name}] ${msg}`;
    const out = l === "error" || l === "warn" ? console.error : console.log;
    if (extra === undefined) out(line);
    else out(line, extra instanceof Error ? extra.stack ?? extra.message : extra);
  };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
