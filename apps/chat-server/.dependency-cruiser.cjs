// Import-graph rules for chat-server, checked by `pnpm lint` (`depcruise src`).
// A .cjs file because the package is "type": "module"; depcruise finds it by name.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import cycles (type-only ones too) tangle modules so none can be understood, tested or moved alone.",
      from: {},
      to: { circular: true },
    },
    {
      name: "commands-not-server-or-cluster",
      severity: "error",
      comment: "Command handlers work on the network state, so they run the same on one node or in a cluster and never depend on the server or cluster code.",
      from: { path: "^src/commands/" },
      to: { path: ["^src/server[.]ts$", "^src/cluster/"] },
    },
    {
      name: "state-records-private",
      severity: "error",
      comment: "The mutable user and channel records are changed only by the state module; everything else goes through its API.",
      from: { pathNot: "^src/state/" },
      to: { path: "^src/state/records[.]ts$" },
    },
  ],
  options: {
    // The rules are about src alone: leave packages (and workspace packages, built or not) out of the graph.
    includeOnly: "^src/",
    moduleSystems: ["es6", "cjs"],
    // Also see `import type` and type-only re-exports, which the compiled JavaScript no longer has.
    tsPreCompilationDeps: true,
    // The same compiler options as typecheck (NodeNext: "./x.js" specifiers resolve to ./x.ts).
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".d.ts"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
  },
};
