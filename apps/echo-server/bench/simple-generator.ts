// A second, independent ping-pong load generator (plain net, no shared code with echo-client),
// to check that echo-client bench is not the bottleneck. Prints {"messages","seconds","cpuShare"} as JSON
// (cpuShare: its CPU time over the window as a share of one core).
import net from "node:net";

const [host = "127.0.0.1", portText = "9900", connectionsText = "50", durationText = "5000", sizeText = "64"] = process.argv.slice(2);
const port = Number(portText);
const size = Number(sizeText);
const payload = Buffer.alloc(size, 0x62);
let messages = 0;
let running = false;
const sockets: net.Socket[] = [];

await Promise.all(
  Array.from({ length: Number(connectionsText) }, () => {
    return new Promise<void>((resolve, reject) => {
      const socket = net.connect({ host, port, noDelay: true }, () => resolve());
      socket.once("error", reject);
      let pending = 0;
      socket.on("data", (chunk: Buffer) => {
        pending += chunk.length;
        while (pending >= size) {
          pending -= size;
          if (!running) return;
          messages++;
          socket.write(payload);
        }
      });
      sockets.push(socket);
    });
  }),
);
running = true;
const started = performance.now();
const cpuAtStart = process.cpuUsage();
for (const socket of sockets) socket.write(payload);
setTimeout(() => {
  running = false;
  const seconds = (performance.now() - started) / 1000;
  for (const socket of sockets) socket.destroy();
  const cpu = process.cpuUsage(cpuAtStart);
  console.log(JSON.stringify({ messages, seconds, cpuShare: (cpu.user + cpu.system) / 1e6 / seconds }));
}, Number(durationText));
