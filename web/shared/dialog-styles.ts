import { css } from "lit";

/** The look shared by the counter's dialogs: a modal card over a dimmed page. */
export const dialogStyles = css`
  .backdrop { position: fixed; inset: 0; background: #000a; display: grid; place-items: center; z-index: 50; }
  .card { width: min(620px, 92vw); max-height: 90vh; overflow: auto; background: var(--hc-panel); color: var(--hc-fg); border-radius: var(--hc-radius); padding: 1.5rem; box-shadow: 0 10px 40px #000a; display: grid; gap: 1rem; }
  h2 { margin: 0; font-size: 1.5rem; }
  label { display: grid; gap: 0.35rem; font-size: 1.1rem; color: var(--hc-muted); }
  input, select, textarea { font: inherit; font-size: 1.15rem; padding: 0.5rem 0.7rem; border-radius: 8px; border: 2px solid #3b5b8a; background: #0b1f3a; color: var(--hc-fg); }
  input:focus, select:focus, textarea:focus { outline: none; border-color: var(--hc-accent); }
  .row { display: flex; gap: 0.75rem; justify-content: flex-end; }
  button { font: inherit; font-size: 1.15rem; min-height: 48px; padding: 0 1.4rem; border-radius: 8px; border: 0; cursor: pointer; }
  button.ok { background: var(--hc-accent); color: #111; font-weight: 700; }
  button.cancel { background: #334155; color: var(--hc-fg); }
  button:disabled { opacity: 0.5; cursor: not-allowed; }
  .chips { display: flex; flex-wrap: wrap; gap: 0.5rem; }
  .chip { background: #1e3a66; border: 2px solid transparent; color: var(--hc-fg); min-height: 44px; padding: 0 0.9rem; font-size: 1.05rem; }
  .chip[aria-pressed="true"] { border-color: var(--hc-accent); background: #3b3414; }
  .hint { color: var(--hc-muted); font-size: 0.95rem; margin: 0; }
`;
