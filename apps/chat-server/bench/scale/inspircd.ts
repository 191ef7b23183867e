// InspIRCd for comparison: it refuses root, so it runs as the irc user (setpriv execs it, so the pid is the server's).
import { chownSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { findProgram, freePort, startProcess } from "@netlab/test-kit";
import { onCore, type Server, trackedServer } from "./server.js";

export function inspircdProgram(): string | undefined {
  return findProgram("inspircd", "inspircd").path;
}

/** uid and gid of the irc user from /etc/passwd (Debian's package runs InspIRCd as irc). */
function ircUser(): { uid: number; gid: number } {
  const fields = readFileSync("/etc/passwd", "utf8").split("\n").find((line) => line.startsWith("irc:"))?.split(":");
  if (!fields) throw new Error("no irc user in /etc/passwd to run InspIRCd as");
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/** A config with every per-class and flood limit raised past the bench's load. */
function config(dir: string, port: number): string {
  return `<config format="xml">
<server name="irc.bench.test" description="scale" network="bench">
<admin name="bench" nick="bench" email="bench@bench.test">
<bind address="127.0.0.1" port="${port}" type="clients">
<pid file="${dir}/inspircd.pid">
<connect name="bench" allow="*" timeout="120" pingfreq="600" hardsendq="100M" softsendq="10M" recvq="1M" threshold="100000000" commandrate="100000000" fakelag="off" localmax="200000" globalmax="200000" maxconnwarn="off" limit="200000" resolvehostnames="no" useident="no" maxchans="100">
<performance netbuffersize="10240" somaxconn="4096" softlimit="19990" clonesonconnect="no" quietbursts="yes" timeskipwarn="0">
<options prefixquit="" suffixquit="" fixedquit="" prefixpart="" suffixpart="" fixedpart="" syntaxhints="no" cyclehosts="no" cyclehostsfromuser="no" announcets="no" allowmismatched="no" defaultbind="auto" hostintopic="yes" pingwarning="15" serverpingfreq="1m" splitwhois="no" defaultmodes="nt" xlinemessage="banned" allowzerolimit="no" exemptchanops="" invitebypassmodes="yes" nosnoticestack="no">
<security announceinvites="dynamic" hideulines="no" flatlinks="no" hidewhois="" hidebans="no" hidekills="" hideulinekills="yes" hidesplits="no" maxtargets="20" customversion="" operspywhois="no" restrictbannedusers="yes" genericoper="no" userstats="Pu">
<limits maxaway="200" maxchan="64" maxhost="64" maxident="10" maxkey="30" maxkick="255" maxmodes="20" maxnick="30" maxquit="255" maxreal="128" maxtopic="307">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="${dir}/ircd.log">
<files motd="${dir}/motd.txt">
<channels users="100" opers="100">
<dns timeout="5">
`;
}

export async function startInspircd(core?: number): Promise<Server> {
  const program = inspircdProgram();
  if (!program) throw new Error('inspircd not found: install it with "apt-get install -y inspircd"');
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "scale-inspircd-"));
  const user = ircUser();
  writeFileSync(path.join(dir, "inspircd.conf"), config(dir, port), { mode: 0o644 });
  writeFileSync(path.join(dir, "motd.txt"), "hello\n", { mode: 0o644 });
  // It writes its pid file and log there as irc.
  chownSync(dir, user.uid, user.gid);
  const setpriv = findProgram("setpriv", "util-linux").path ?? "setpriv";
  const { command, args } = onCore(core, setpriv, [`--reuid=${user.uid}`, `--regid=${user.gid}`, "--init-groups", program, "--nofork", "--config", path.join(dir, "inspircd.conf")]);
  const handle = await startProcess(command, args, { ready: port, timeoutMs: 20_000 });
  // It completes registrations once a second, so many may wait at once.
  return trackedServer({ name: "InspIRCd", host: "127.0.0.1", port, pid: handle.pid as number, maxPending: 4_000, handle }, dir);
}
