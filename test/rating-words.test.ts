/** What a citizen reads when the tracker's rating (补评) is refused. */
import { describe, expect, it } from "vitest";
import { ratingRefusal } from "../track/rating-words.js";

describe("a refused rating from the tracker in plain words", () => {
  it("a visit rated already, at the pad or from another phone, says it is rated once", () => {
    expect(ratingRefusal({ code: "ALREADY_RATED" }).zh).toContain("已经评价过了");
  });

  it("a visit past the rating days says the time is over and where to turn instead", () => {
    expect(ratingRefusal({ code: "RATING_EXPIRED" })).toEqual({ zh: "已超过评价期限，本次办事不能再评价了。如有意见，请拨打 12345 热线。", en: "The time to rate this visit is over. For comments, please call the 12345 hotline." });
  });

  it("a visit without a service to rate says a rating comes after the service", () => {
    expect(ratingRefusal({ code: "NOT_RATEABLE" }).en).toContain("once its service is done");
  });

  it("a 一件事 bundle's whole matter rated already says the matter is rated once as a whole", () => {
    expect(ratingRefusal({ code: "ALREADY_RATED" }, true).zh).toBe("这件事已经整体评价过了，整件事只能评价一次。感谢您的反馈！");
  });

  it("a bundle with steps still to come says the whole matter is rated once every step is done", () => {
    expect(ratingRefusal({ code: "NOT_RATEABLE" }, true).en).toBe("The matter can be rated as a whole once every step is done.");
  });

  it("anything else asks to try again, never the server's English", () => {
    expect(ratingRefusal({ code: "INTERNAL" }).zh).toBe("评价没有提交成功，请稍后再试。");
  });
});
