import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Code that writes users and channels from outside the state module, each line one way of doing it. */
const writes = `import type { Channel, User } from "../state/model.js";
export function sneak(user: User, channel: Channel): void {
  (user as { nick: string }).nick = "x";
  (user as { lastSpoke: number }).lastSpoke++;
  (channel as { topic?: unknown }).topic = undefined;
  (channel.members as Map<User, number>).set(user, 1);
  (user.channels as Set<Channel>).delete(channel);
}
`;

/** The same reads a command does every day. */
const reads = `import type { Channel, User } from "../state/model.js";
export function look(user: User, channel: Channel): string {
  const tags: { account?: string } = {};
  tags.account = user.account;
  return channel.members.has(user) ? user.nick : channel.name;
}
`;

describe("only the state module writes the network state (lint rule)", () => {
  const eslint = new ESLint({ cwd: root });
  const problems = async (code: string, file: string): Promise<number[]> => {
    const [result] = await eslint.lintText(code, { filePath: `${root}/${file}` });
    return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-syntax").map((m) => m.line);
  };

  test("each write from a command or the cluster is an error", async () => {
    expect(await problems(writes, "src/commands/sneak.ts")).toEqual([3, 4, 5, 6, 7]);
    expect(await problems(writes, "src/cluster/sneak.ts")).toEqual([3, 4, 5, 6, 7]);
  }, 30_000);

  test("reads are fine, and src/state/ may write", async () => {
    expect(await problems(reads, "src/commands/look.ts")).toEqual([]);
    expect(await problems(writes, "src/state/sneak.ts")).toEqual([]);
  }, 30_000);
});
