/**
 * Voice announcements of the hall board: a short chime (WebAudio, no audio files) and then the
 * call read out by `speechSynthesis`, one call after the other.
 *
 * Every call — ticket id plus the instant of the call, so a recall is a new announcement — is
 * announced once per board: the keys are remembered in memory and in sessionStorage, so neither a
 * reconnect nor a reload of the page reads an old call again. On a resync the calls the board
 * missed while offline are announced if they are still waiting for their citizen (ticket still
 * "called", call younger than MISSED_MAX_AGE_MS); the very first snapshot of a fresh board is only
 * remembered, never read out.
 *
 * Tests read `window.__hallcallAnnouncements` (every text, in order).
 */
import type { HallSnapshot, Window as HallWindow } from "../../protocol/index.js";
import type { Lang } from "../../web/shared/i18n.js";

declare global {
  interface Window {
    __hallcallAnnouncements?: string[];
  }
}

/** Missed calls older than this (server time) are shown but not read out after a reconnect. */
const MISSED_MAX_AGE_MS = 5 * 60_000;
/** Read out at most this many missed calls after a reconnect, the newest ones. */
const MISSED_MAX = 6;
const KEEP_KEYS = 300;

export interface CallToAnnounce {
  ticketId: string;
  number: string;
  window: Pick<HallWindow, "id" | "label">;
  /** Instant of this call (the event's `at`). */
  at: number;
}

export const callKey = (ticketId: string, at: number): string => `${ticketId}@${at}`;

export function announcementText(call: CallToAnnounce, lang: Lang): string {
  return lang === "en" ? `Number ${call.number}, please go to ${call.window.label.en}` : `请 ${call.number} 号 到 ${call.window.label.zh} 办理`;
}

export class Announcer {
  private readonly storageKey: string;
  private announced: string[];
  private readonly seen: Set<string>;
  private primed: boolean;
  private queue: string[] = [];
  private speaking = false;
  private audio: AudioContext | null = null;

  constructor(
    hallId: string,
    private readonly lang: () => Lang,
    /** Called with each text as it is queued (the page shows it and flashes the call). */
    private readonly onAnnounce: (text: string, key: string) => void,
  ) {
    this.storageKey = `hallcall.announced.${hallId}`;
    let stored: string[] = [];
    try {
      stored = JSON.parse(sessionStorage.getItem(this.storageKey) ?? "[]") as string[];
    } catch {
      stored = [];
    }
    this.announced = Array.isArray(stored) ? stored : [];
    this.seen = new Set(this.announced);
    // A board reloaded in the same session already knows what it said; a fresh one starts quiet.
    this.primed = this.announced.length > 0;
    window.__hallcallAnnouncements ??= [];
  }

  /** A live `ticket:called` event. */
  call(call: CallToAnnounce): void {
    if (!this.primed) return; // before the first snapshot: the snapshot decides
    this.announce(call);
  }

  /** After every (re)sync from a snapshot. */
  sync(snapshot: HallSnapshot): void {
    const calls = [...snapshot.recentCalls].reverse(); // oldest first
    if (!this.primed) {
      calls.forEach((c) => this.remember(callKey(c.ticketId, c.at)));
      this.primed = true;
      this.save();
      return;
    }
    const missed = calls.filter((c) => {
      if (this.seen.has(callKey(c.ticketId, c.at))) return false;
      const t = snapshot.tickets.find((x) => x.id === c.ticketId);
      return t?.state === "called" && t.windowId === c.windowId && snapshot.at - c.at <= MISSED_MAX_AGE_MS;
    });
    // Calls that are no longer worth reading out are still remembered, so they never come back.
    calls.forEach((c) => {
      if (!missed.includes(c)) this.remember(callKey(c.ticketId, c.at));
    });
    for (const c of missed.slice(-MISSED_MAX)) {
      const w = snapshot.windows.find((x) => x.id === c.windowId);
      if (w) this.announce({ ticketId: c.ticketId, number: c.number, window: w, at: c.at });
      else this.remember(callKey(c.ticketId, c.at));
    }
    this.save();
  }

  /** Browsers may keep audio off until someone touches the screen; the page offers a button. */
  get audioBlocked(): boolean {
    return this.audio?.state === "suspended";
  }

  async unlockAudio(): Promise<void> {
    this.audio ??= new AudioContext();
    await this.audio.resume().catch(() => undefined);
  }

  private announce(call: CallToAnnounce): void {
    const key = callKey(call.ticketId, call.at);
    if (this.seen.has(key)) return;
    this.remember(key);
    this.save();
    const text = announcementText(call, this.lang());
    window.__hallcallAnnouncements!.push(text);
    this.onAnnounce(text, key);
    this.queue.push(text);
    void this.play();
  }

  private remember(key: string): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.announced.push(key);
    if (this.announced.length > KEEP_KEYS) this.seen.delete(this.announced.shift()!);
  }

  private save(): void {
    try {
      sessionStorage.setItem(this.storageKey, JSON.stringify(this.announced));
    } catch {
      /* storage full or disabled: memory still prevents repeats */
    }
  }

  private async play(): Promise<void> {
    if (this.speaking) return;
    this.speaking = true;
    try {
      while (this.queue.length) {
        const text = this.queue.shift()!;
        await this.chime();
        await this.speak(text);
      }
    } finally {
      this.speaking = false;
    }
  }

  /** Two soft tones, "ding-dong", about 0.9 s. */
  private async chime(): Promise<void> {
    try {
      this.audio ??= new AudioContext();
      const ctx = this.audio;
      if (ctx.state === "suspended") await Promise.race([ctx.resume(), sleep(300)]);
      if (ctx.state !== "running") return;
      const start = ctx.currentTime + 0.02;
      [880, 660].forEach((freq, i) => {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        const t0 = start + i * 0.4;
        osc.type = "sine";
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, t0);
        gain.gain.exponentialRampToValueAtTime(0.35, t0 + 0.03);
        gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.5);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t0);
        osc.stop(t0 + 0.55);
      });
      await sleep(950);
    } catch {
      /* no audio device: the text is still on screen */
    }
  }

  private speak(text: string): Promise<void> {
    if (!("speechSynthesis" in window)) return Promise.resolve();
    return new Promise((resolve) => {
      const lang = this.lang() === "en" ? "en" : "zh";
      const u = new SpeechSynthesisUtterance(text);
      u.lang = lang === "zh" ? "zh-CN" : "en-US";
      const voice = speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().startsWith(lang));
      if (voice) u.voice = voice;
      u.rate = 0.9;
      // Some engines never fire `end` (no voice installed): never let one call block the next.
      const timer = setTimeout(done, 1_500 + text.length * 250);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      u.onend = done;
      u.onerror = done;
      speechSynthesis.speak(u);
    });
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
