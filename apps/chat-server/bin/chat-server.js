#!/usr/bin/env node
// The young-generation setting must come before the server's modules load, hence the dynamic import.
import { keepYoungGenerationSmall } from "../dist/young-generation.js";

keepYoungGenerationSmall();
await import("../dist/cli.js");
