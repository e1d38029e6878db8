/**
 * The refusals of a rating from the tracker (补评) in plain words: one table, so the same refusal
 * reads the same however it comes (the route's answer, or a network that failed).
 */
import type { Bilingual, HallError } from "../protocol/index.js";

const PLAIN: Partial<Record<HallError["code"], Bilingual>> = {
  ALREADY_RATED: { zh: "这次办事已经评价过了，每次服务只能评价一次。感谢您的反馈！", en: "This visit has already been rated; each service is rated once. Thank you for your feedback!" },
  RATING_EXPIRED: { zh: "已超过评价期限，本次办事不能再评价了。如有意见，请拨打 12345 热线。", en: "The time to rate this visit is over. For comments, please call the 12345 hotline." },
  NOT_RATEABLE: { zh: "业务办完后才能评价（过号或已取消的号没有可评价的服务）。", en: "A visit can be rated once its service is done (a missed or cancelled ticket has no service to rate)." },
  UNKNOWN_TICKET: { zh: "没有找到这张票，无法评价。", en: "This ticket was not found, so it cannot be rated." },
  RATE_LIMITED: { zh: "操作太频繁，请稍候再试。", en: "Too many tries. Please wait a moment and try again." },
};

/** For a 一件事 bundle the tracker rates the whole matter: its refusals say so. */
const WHOLE: Partial<Record<HallError["code"], Bilingual>> = {
  ALREADY_RATED: { zh: "这件事已经整体评价过了，整件事只能评价一次。感谢您的反馈！", en: "This matter has already been rated as a whole; it is rated once. Thank you for your feedback!" },
  NOT_RATEABLE: { zh: "每一项都办完后，才能对整件事评价。", en: "The matter can be rated as a whole once every step is done." },
};

const FALLBACK: Bilingual = { zh: "评价没有提交成功，请稍后再试。", en: "The rating did not go through. Please try again in a moment." };

/** A refused rating, in both languages; `whole` for a bundle's whole matter. */
export function ratingRefusal(error: Pick<HallError, "code">, whole = false): Bilingual {
  return (whole ? WHOLE[error.code] : undefined) ?? PLAIN[error.code] ?? FALLBACK;
}
