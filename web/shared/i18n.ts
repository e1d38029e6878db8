/**
 * Chinese by default, English on request. Texts stay side by side where they are used
 * (`tr({ zh, en })`); the choice is kept per device and every page re-renders when it changes.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { Bilingual } from "../../protocol/index.js";

export type Lang = "zh" | "en";
const KEY = "hallcall.lang";
const EVENT = "hallcall-lang";

export function currentLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (fromUrl === "en" || fromUrl === "zh") return fromUrl;
  return localStorage.getItem(KEY) === "en" ? "en" : "zh";
}

export function setLang(lang: Lang): void {
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  window.dispatchEvent(new CustomEvent(EVENT, { detail: lang }));
}

export const tr = (text: Bilingual): string => text[currentLang()];

/** Re-renders its host when the language changes. */
export class LangController implements ReactiveController {
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  private onChange = () => this.host.requestUpdate();
  hostConnected(): void {
    document.documentElement.lang = currentLang() === "zh" ? "zh-CN" : "en";
    window.addEventListener(EVENT, this.onChange);
  }
  hostDisconnected(): void {
    window.removeEventListener(EVENT, this.onChange);
  }
  get lang(): Lang {
    return currentLang();
  }
}

/** Minutes as people say them: "约 12 分钟" / "about 12 min". */
export function minutes(sec: number): string {
  const m = Math.max(0, Math.round(sec / 60));
  return tr({ zh: m < 1 ? "即将叫号" : `约 ${m} 分钟`, en: m < 1 ? "any moment" : `about ${m} min` });
}
