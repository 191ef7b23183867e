import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { LineReader } from "../src/index.js";

function readAll(reader: LineReader, chunks: Buffer[]): (string | "TOO LONG")[] {
  const out: (string | "TOO LONG")[] = [];
  for (const chunk of chunks) reader.push(chunk, (event) => out.push("tooLong" in event ? "TOO LONG" : event.line.toString()));
  return out;
}

describe("LineReader", () => {
  test.each([
    [["a\r\nb\r\n"], ["a", "b"]],
    [["a\nb\rc\r\n"], ["a", "b", "c"]],
    [["ab", "c\r", "\nd\n"], ["abc", "d"]],
    [["\r\n\r\n\n"], []],
    [["12345678901\r\nok\r\n"], ["TOO LONG", "ok"]],
    [["123456", "789012", "345\nok\n"], ["TOO LONG", "ok"]],
    [["1234567890\r\n"], ["1234567890"]],
    [["12345", "678901", "\r\nok\n"], ["TOO LONG", "ok"]],
    [["12345678901", "\r", "\nok\n"], ["TOO LONG", "ok"]],
    [["no end yet"], []],
  ])("%j", (chunks, expected) => {
    expect(readAll(new LineReader(10), chunks.map((chunk) => Buffer.from(chunk)))).toEqual(expected);
  });

  test("a UTF-8 character split across two chunks arrives whole", () => {
    const bytes = Buffer.from("PRIVMSG #lab :h\u00e9 \u{1f600}\r\n");
    const emoji = bytes.indexOf(0xf0);
    expect(readAll(new LineReader(64), [bytes.subarray(0, 16), bytes.subarray(16, emoji + 2), bytes.subarray(emoji + 2)])).toEqual([
      "PRIVMSG #lab :h\u00e9 \u{1f600}",
    ]);
  });

  test("however the bytes are split, the lines are the same", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z ]{1,8}$/), { maxLength: 10 }), fc.array(fc.nat(20), { maxLength: 10 }), (lines, cuts) => {
        const bytes = Buffer.from(lines.map((line) => line + "\r\n").join(""));
        const chunks: Buffer[] = [];
        let at = 0;
        for (const cut of cuts) {
          chunks.push(bytes.subarray(at, Math.min(bytes.length, at + cut)));
          at = Math.min(bytes.length, at + cut);
        }
        chunks.push(bytes.subarray(at));
        expect(readAll(new LineReader(64), chunks)).toEqual(lines);
      }),
    );
  });
});
