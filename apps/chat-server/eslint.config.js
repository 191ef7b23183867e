import config from "@netlab/eslint-config";

const stateFields = "nick|user|host|realname|registered|invisible|oper|account|away|lastSpoke|topic|topicLock|noExternal|moderated|inviteOnly|key|limit";
const stateCollections = "members|channels|invited|bans|sessions";
const mutators = "set|delete|add|clear|push|pop|shift|unshift|splice";
const message = "only src/state/ writes the network state: call a Network operation";
// A field by name, not a computed [key], and not on a message's tags (which carry an account too).
const field = `MemberExpression[computed=false][property.name=/^(${stateFields})$/]:not([object.name="tags"])`;
const collection = `MemberExpression[computed=false][property.name=/^(${stateCollections})$/]`;

export default [
  ...config,
  // Benches are linted as TypeScript under bench/; dist-bench/ is their build.
  { ignores: ["dist-bench/**"] },
  {
    // Users and channels are read-only outside the state module (src/state/network.ts owns them).
    files: ["src/**/*.ts"],
    ignores: ["src/state/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: `AssignmentExpression > ${field}.left`, message },
        { selector: `UpdateExpression > ${field}`, message },
        { selector: `CallExpression > MemberExpression.callee[property.name=/^(${mutators})$/] > ${collection}.object`, message },
        { selector: `CallExpression > MemberExpression.callee[property.name=/^(${mutators})$/] > TSAsExpression.object > ${collection}.expression`, message },
      ],
    },
  },
];
