// Opens N idle connections to host:port and holds them until SIGTERM; prints "held N failed M" once all are up.
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

const [host = "127.0.0.1", portText = "9900", countText = "10000"] = process.argv.slice(2);
const count = Number(countText);
const sockets: net.Socket[] = [];
let open = 0;
let failed = 0;
const report = (): void => {
  if (open + failed === count) console.log(`held ${open} failed ${failed}`);
};
for (let i = 0; i < count; i++) {
  const socket = net.connect({ host, port: Number(portText) });
  socket.on("connect", () => {
    open++;
    report();
  });
  socket.on("error", () => {
    failed++;
    report();
  });
  sockets.push(socket);
  // Pace the SYNs so the listen backlog never overflows.
  if (i % 500 === 499) await sleep(50);
}
process.on("SIGTERM", () => {
  for (const socket of sockets) socket.destroy();
  process.exit(0);
});
