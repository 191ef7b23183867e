import { expect, test } from "vitest";
import { logRecord, readableLogLine } from "../src/log-line.js";

test.each([
  [
    '{"level":30,"time":0,"pid":1,"hostname":"vm","name":"echo-server","protocol":"tcp","address":"127.0.0.1","port":9900,"msg":"listening"}',
    "00:00:00 INFO  listening protocol=tcp address=127.0.0.1 port=9900",
  ],
  ['{"level":40,"time":3723000,"msg":"refused","reason":"max connections","peer":"::1"}', '01:02:03 WARN  refused reason="max connections" peer=::1'],
  ['{"level":60,"time":0,"msg":"cannot listen","err":{"code":"EADDRINUSE"}}', '00:00:00 FATAL cannot listen err={"code":"EADDRINUSE"}'],
  ["* alice joined #lobby", "* alice joined #lobby"],
  ["{not json", "{not json"],
  ["null", "null"],
])("%s", (line, shown) => {
  expect(readableLogLine(line)).toBe(shown);
});

test.each([
  ['{"msg":"listening","port":1}', { msg: "listening", port: 1 }],
  ["[1,2]", undefined],
  ["{broken", undefined],
  ["plain text", undefined],
])("logRecord(%s)", (line, record) => {
  expect(logRecord(line)).toEqual(record);
});
