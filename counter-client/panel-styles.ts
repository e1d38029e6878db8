import { css } from "lit";

/** Side panels of the counter app: a titled card with compact rows. */
export const panelStyles = css`
  :host { display: block; background: var(--hc-panel); border-radius: var(--hc-radius); padding: 0.7rem 1rem; }
  h3 { margin: 0 0 0.4rem; font-size: 1.1rem; color: var(--hc-muted); font-weight: 600; }
  table { width: 100%; border-collapse: collapse; font-size: 1.1rem; }
  td, th { padding: 0.25rem 0.3rem; text-align: left; }
  th { color: var(--hc-muted); font-weight: 500; font-size: 0.95rem; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; font-weight: 700; }
  .empty { color: var(--hc-muted); margin: 0.3rem 0; }
`;
