// The baseline: the bare Node echo server people write first, with the error handler it needs to survive resets.
import net, { type AddressInfo } from "node:net";

const port = Number(process.argv[2] ?? 0);
const server = net.createServer((socket) => {
  socket.on("error", () => socket.destroy());
  socket.pipe(socket);
});
server.listen(port, "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
process.on("SIGTERM", () => process.exit(0));
