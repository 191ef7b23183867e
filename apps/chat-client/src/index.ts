export { parseInput, type Input } from "./input.js";
