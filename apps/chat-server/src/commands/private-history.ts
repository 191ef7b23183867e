import { foldCase } from "../casemap.js";
import { partyOf, privateKey } from "../history.js";
import type { User } from "../state/model.js";
import type { CommandContext } from "./context.js";

/**
 * The history key of user's private conversation with nick: with an account, its account's
 * conversation, so a nick's former holder's messages stay theirs. An absent nick counts as
 * its account when one is registered under it.
 */
export async function privateKeyWith(context: CommandContext, user: User, nick: string): Promise<string> {
  const me = partyOf(user.nick, user.account);
  const other = context.network.findUser(nick);
  if (other) return privateKey(me, partyOf(other.nick, other.account));
  const account = await context.accounts?.store.get(nick);
  return privateKey(me, account ? "$" + foldCase(account.name) : foldCase(nick));
}
