import { css } from "lit";

/** The manager console's cards: title, dense tables, traffic-light colours. */
export const cardStyles = css`
  :host { display: block; background: var(--hc-panel); border-radius: var(--hc-radius); padding: 0.8rem 1rem; min-width: 0; }
  h2 { margin: 0 0 0.5rem; font-size: 1.15rem; color: var(--hc-muted); font-weight: 600; display: flex; align-items: center; gap: 0.6rem; }
  table { width: 100%; border-collapse: collapse; font-size: 1rem; }
  th, td { padding: 0.3rem 0.4rem; text-align: left; border-bottom: 1px solid #ffffff14; vertical-align: middle; }
  th { color: var(--hc-muted); font-weight: 500; font-size: 0.9rem; }
  .n { text-align: right; font-variant-numeric: tabular-nums; }
  .green { color: #4ade80; }
  .amber { color: #fbbf24; }
  .red { color: #f87171; font-weight: 700; }
  .muted { color: var(--hc-muted); }
  button { font: inherit; font-size: 0.95rem; min-height: 36px; padding: 0 0.75rem; border-radius: 8px; border: 1px solid #ffffff30; background: #1e3a66; color: var(--hc-fg); cursor: pointer; }
  button:hover { border-color: var(--hc-accent); }
  button:disabled { opacity: 0.45; cursor: not-allowed; }
  button.ok { background: #15803d; border-color: transparent; }
  button.bad { background: #b91c1c; border-color: transparent; }
`;

/** Traffic light of a wait against its target: green under 75 %, amber up to it, red beyond. */
export function light(sec: number, targetMin: number): "green" | "amber" | "red" {
  const r = sec / (targetMin * 60);
  return r >= 1 ? "red" : r >= 0.75 ? "amber" : "green";
}

export const mins = (sec: number): string => `${Math.max(0, Math.round(sec / 60))}′`;
