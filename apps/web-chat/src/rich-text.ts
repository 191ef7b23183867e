import { h } from "./dom.js";
import { stripFormatting } from "./irc-formatting.js";
import { findLinks } from "./links.js";

/** Message text as DOM nodes: plain text, and http(s) links that open in a new tab without an opener. */
export function richText(text: string): Node[] {
  return findLinks(stripFormatting(text)).map((part) => {
    if (!part.href) return document.createTextNode(part.text);
    const link = h("a", { attrs: { href: part.href, target: "_blank", rel: "noopener noreferrer" } }, part.text);
    return link;
  });
}
