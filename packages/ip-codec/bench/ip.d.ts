// The two functions of the ip package the bench compares with (ip ships no types).
declare module "ip" {
  const ip: {
    toBuffer(address: string): Buffer;
    toString(buffer: Buffer): string;
  };
  export default ip;
}
