#!/usr/bin/env node
import "../dist/account-cli.js";
