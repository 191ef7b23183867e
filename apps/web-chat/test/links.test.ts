import { describe, expect, test } from "vitest";
import { findLinks, safeHref } from "../src/links.js";

describe("findLinks", () => {
  test.each([
    ["no links here", [{ text: "no links here" }]],
    ["see https://example.org/a?b=c#d now", [{ text: "see " }, { text: "https://example.org/a?b=c#d", href: "https://example.org/a?b=c#d" }, { text: " now" }]],
    ["http://x.org.", [{ text: "http://x.org", href: "http://x.org/" }, { text: "." }]],
    ["(see https://en.wikipedia.org/wiki/IRC_(protocol))", [{ text: "(see " }, { text: "https://en.wikipedia.org/wiki/IRC_(protocol)", href: "https://en.wikipedia.org/wiki/IRC_(protocol)" }, { text: ")" }]],
    ["“https://a.b/c”, ok", [{ text: "“" }, { text: "https://a.b/c”", href: "https://a.b/c%E2%80%9D" }, { text: ", ok" }]],
    ["two: https://a.org https://b.org", [{ text: "two: " }, { text: "https://a.org", href: "https://a.org/" }, { text: " " }, { text: "https://b.org", href: "https://b.org/" }]],
    ['<https://a.org/x>"', [{ text: "<" }, { text: "https://a.org/x", href: "https://a.org/x" }, { text: '>"' }]],
  ])("%j", (text, parts) => {
    expect(findLinks(text)).toEqual(parts);
  });

  test.each(["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.org/", "file:///etc/passwd", "vbscript:x", "JaVaScRiPt://%0aalert(1)"])(
    "%j is not a link",
    (text) => {
      expect(findLinks(`go ${text} now`).some((part) => part.href)).toBe(false);
    },
  );

  test("the text of every part together is the message", () => {
    const text = "a https://x.org/(y) b http://z.org/?q=1, c";
    expect(findLinks(text).map((part) => part.text).join("")).toBe(text);
  });
});

describe("safeHref", () => {
  test.each([
    ["https://example.org", "https://example.org/"],
    ["HTTP://EXAMPLE.ORG/A", "http://example.org/A"],
    ["javascript:alert(1)", undefined],
    ["not a url", undefined],
  ])("%j -> %j", (text, href) => {
    expect(safeHref(text)).toBe(href);
  });
});
