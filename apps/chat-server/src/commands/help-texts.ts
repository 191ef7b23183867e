/**
 * What HELP says about each command the server knows: the first line is its syntax, the
 * rest what it does. Every command of the table (commands/index.ts) has one; a test checks.
 */
export const helpTexts: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  // --- Registration and connection ---
  ["PASS", ["PASS <password>", "Gives the server password, before NICK and USER, when the server has one."]],
  ["NICK", ["NICK <nick>", "Chooses your nick, or changes it once registered.", "A nick starts with a letter or one of []\\`_^{|}, then letters, digits and -; 30 characters at most."]],
  ["USER", ["USER <username> <mode> <unused> :<realname>", "Registers you with a user name and a real name, once NICK is given.", "The user name is shown with a leading ~ (no ident lookup); the real name must not be empty."]],
  ["CAP", ["CAP LS [302] | CAP LIST | CAP REQ :<capabilities> | CAP END", "IRCv3 capability negotiation: LS lists what the server offers, REQ asks for some,", "LIST shows yours, END finishes negotiation so registration can complete."]],
  ["PING", ["PING <token>", "Asks the server to answer PONG with the same token."]],
  ["PONG", ["PONG <token>", "Answers the server's PING; any line counts as a sign of life too."]],
  ["QUIT", ["QUIT [:<reason>]", "Leaves the network; the users sharing a channel with you see the reason."]],
  // --- Channels ---
  ["JOIN", ["JOIN <channel>{,<channel>} [<key>{,<key>}] | JOIN 0", "Joins channels (# or &), creating them if needed: the creator is their operator.", "Give the key of a +k channel; JOIN 0 leaves every channel you are on."]],
  ["PART", ["PART <channel>{,<channel>} [:<reason>]", "Leaves channels; their members see the reason."]],
  ["TOPIC", ["TOPIC <channel> [:<topic>]", "Shows a channel's topic, or sets it (an empty topic clears it).", "On a +t channel only its operators may set it."]],
  ["NAMES", ["NAMES <channel>{,<channel>}", "Lists the members of channels, operators with @ and voiced members with +;", "invisible (+i) members only to those on the channel; a +s channel only to its members."]],
  ["LIST", ["LIST [<channel>|<mask>|!<mask>|<n|>n|C<n|C>n|T<n|T>n{,...}]", "Lists channels with their number of members and their topic; +s channels only to their members.", "Filters: names or masks, user counts (<n, >n), minutes since creation (C) or since the topic was set (T)."]],
  ["KICK", ["KICK <channel>{,<channel>} <nick>{,<nick>} [:<reason>]", "Removes members from a channel (or each nick from the channel paired with it); for its operators."]],
  ["INVITE", ["INVITE <nick> <channel> | INVITE", "Invites a user to a channel you are on; on a +i channel only its operators may,", "and the invitation lets them in past +i, +k, +l and bans. INVITE alone lists your invitations."]],
  [
    "MODE",
    [
      "MODE <channel> [<modes> [<arguments>]] | MODE <nick> [<modes>]",
      "Shows or changes a channel's modes (its operators only) or your own user modes.",
      "Channel modes: +i invite only, +m moderated, +n no messages from outside, +t topic set by operators,",
      "+s secret, +p private, +k <key> key to join, +l <count> member limit, +b [<mask>] ban (alone: list bans),",
      "+e <mask> ban exception, +I <mask> invite exception (alone: list them), +o <nick> operator, +v <nick> voice.",
      "User modes: +i invisible, +w receive WALLOPS, +B bot, -o give up operator status.",
    ],
  ],
  // --- Messages ---
  ["PRIVMSG", ["PRIVMSG <target>{,<target>} :<text>", "Sends a message to channels or nicks (4 targets at most); @<channel> reaches only its operators.", "Away users' away message comes back as 301."]],
  ["NOTICE", ["NOTICE <target>{,<target>} :<text>", "As PRIVMSG, but never draws an automatic reply or an error."]],
  ["TAGMSG", ["TAGMSG <target>", "Sends only client tags (typing, reactions...) to a channel or nick; needs the message-tags capability."]],
  ["AWAY", ["AWAY [:<message>]", "Marks you away with a message others see when they message or WHOIS you; AWAY alone marks you back."]],
  ["REDACT", ["REDACT <target> <msgid> [:<reason>]", "Takes back a stored message of a channel you are on or of a private conversation (IRCv3 draft/message-redaction):", "your own, or any on a channel you operate; it leaves the history too."]],
  ["CHATHISTORY", ["CHATHISTORY LATEST|BEFORE|AFTER|AROUND <target> <reference> <limit>", "CHATHISTORY BETWEEN <target> <reference> <reference> <limit> | CHATHISTORY TARGETS <timestamp> <timestamp> <limit>", "Replays stored messages of a channel you are on or a private conversation (IRCv3 draft/chathistory).", "A reference is msgid=<id>, timestamp=<ISO time> or * (LATEST only)."]],
  // --- Users ---
  ["WHO", ["WHO <mask> [o]", "Lists the members of a channel, or the users whose nick, host or real name match a mask (* and ?);", "o: operators only. Invisible users show only to those sharing a channel with them."]],
  ["WHOIS", ["WHOIS [<server>] <nick>", "Shows who a user is: user name, host, real name, channels, server, idle time, away message."]],
  ["WHOWAS", ["WHOWAS <nick> [<count>]", "Shows who last used a nick that is gone or was changed."]],
  ["ISON", ["ISON <nick> [<nick>...]", "Answers which of the nicks are on the network."]],
  ["USERHOST", ["USERHOST <nick> [<nick>...]", "Shows user@host of up to 5 nicks, * for operators, - for away users."]],
  ["SETNAME", ["SETNAME :<realname>", "Changes your real name (IRCv3 setname); 1 to 100 characters."]],
  ["MONITOR", ["MONITOR + <nick>{,<nick>} | MONITOR - <nick>{,<nick>} | MONITOR C | MONITOR L | MONITOR S", "Watches nicks: the server tells you when they come online (730) or go offline (731).", "+ adds, - removes, C clears the list, L lists it, S tells the status of each."]],
  // --- Server information ---
  ["HELP", ["HELP [<command>]", "Shows help on a command; HELP alone lists the commands there is help for."]],
  ["HELPOP", ["HELPOP [<command>]", "The same as HELP."]],
  ["MOTD", ["MOTD", "Shows the server's message of the day."]],
  ["LUSERS", ["LUSERS", "Counts users (visible and invisible), operators, unregistered connections, channels and servers,", "and the users of this server and of the network now and at most."]],
  ["VERSION", ["VERSION", "Shows the server's software and version."]],
  ["INFO", ["INFO", "Shows what software the server runs and since when."]],
  ["TIME", ["TIME", "Shows the server's name and its current time."]],
  ["LINKS", ["LINKS [<mask>]", "Lists the servers of the network (those whose name matches the mask)."]],
  ["ADMIN", ["ADMIN", "Shows who runs the server: where it is and how to reach its administrator."]],
  // --- Accounts ---
  ["AUTHENTICATE", ["AUTHENTICATE <mechanism> | AUTHENTICATE <base64> | AUTHENTICATE *", "Logs in with SASL (PLAIN, EXTERNAL, SCRAM-SHA-256), before registration or again after it;", "request the sasl capability first. Data comes in 400-byte chunks, + ends one; * aborts."]],
  ["REGISTER", ["REGISTER <account> <email> <password>", "Registers an account named after your nick (* for your nick; * for no email) and logs you in."]],
  ["VERIFY", ["VERIFY <account> <code>", "Confirms a registration; this server needs none, accounts work once registered."]],
  ["NS", ["NS <command> [<arguments>]", "Talks to NickServ: REGISTER, IDENTIFY, LOGOUT, PASSWD, SET ALWAYS-ON, CERT, INFO, DROP, HELP.", "The same as PRIVMSG NickServ :<command>."]],
  ["NICKSERV", ["NICKSERV <command> [<arguments>]", "The same as NS."]],
  ["CS", ["CS <command> [<arguments>]", "Talks to ChanServ: REGISTER <#channel> (as its operator) keeps it for your account,", "DROP and INFO; the founder gets +o back whenever it joins. The same as PRIVMSG ChanServ :<command>."]],
  ["CHANSERV", ["CHANSERV <command> [<arguments>]", "The same as CS."]],
  ["MARKREAD", ["MARKREAD <target> [timestamp=<time>]", "Asks for your read marker of a channel or nick, or moves it forward (draft/read-marker);", "every device of your account hears of it."]],
  // --- Operators ---
  ["OPER", ["OPER <name> <password>", "Makes you an IRC operator (+o) with the name and password the server was given."]],
  ["KILL", ["KILL <nick> :<reason>", "Disconnects a user from the network; for operators."]],
  ["WALLOPS", ["WALLOPS :<text>", "Sends text to every user with user mode +w; for operators."]],
  ["CHGHOST", ["CHGHOST <nick> <username> <host>", "Gives a user another user name and host; for operators. Clients with chghost see the change."]],
]);
