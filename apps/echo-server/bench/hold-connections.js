// Opens N idle connections to host:port and holds them until SIGTERM; prints "held N" once all are up.
import net from "node:net";

const [host = "127.0.0.1", portText = "9900", countText = "10000"] = process.argv.slice(2);
const count = Number(countText);
const sockets = [];
let open = 0;
let failed = 0;
for (let i = 0; i < count; i++) {
  const socket = net.connect({ host, port: Number(portText) });
  socket.on("connect", () => {
    open++;
    if (open + failed === count) console.log(`held ${open} failed ${failed}`);
  });
  socket.on("error", () => {
    failed++;
    if (open + failed === count) console.log(`held ${open} failed ${failed}`);
  });
  sockets.push(socket);
  // Pace the SYNs so the listen backlog never overflows.
  if (i % 500 === 499) await new Promise((resolve) => setTimeout(resolve, 50));
}
process.on("SIGTERM", () => {
  for (const socket of sockets) socket.destroy();
  process.exit(0);
});
