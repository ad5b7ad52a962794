import { Exit, UsageProblem, type Command } from "./command.ts";

// Each subcommand loads only when used; add one with a line here.
const commands: Record<string, () => Promise<Command>> = {
  accept: () => import("./accept.ts"),
  connect: () => import("./connect.ts"),
  decode: () => import("./decode.ts"),
  encode: () => import("./encode.ts"),
  serve: () => import("./serve.ts"),
};

async function help(): Promise<string> {
  const lines = ["Usage: ws-lab <command> [options]", "", "Commands:"];
  for (const [name, load] of Object.entries(commands)) lines.push(`  ${name.padEnd(8)} ${(await load()).summary}`);
  lines.push("", "Run 'ws-lab <command> --help' for the options of one command.");
  return lines.join("\n");
}

async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(await help());
    return name === undefined ? Exit.Usage : Exit.Ok;
  }
  const load = commands[name];
  if (!load) {
    console.error(`ws-lab: unknown command '${name}'. Commands: ${Object.keys(commands).join(", ")}.`);
    return Exit.Usage;
  }
  try {
    return await (await load()).run(rest);
  } catch (error) {
    if (!(error instanceof UsageProblem)) throw error;
    console.error(`ws-lab ${name}: ${error.message}`);
    return Exit.Usage;
  }
}

process.exitCode = await main(process.argv.slice(2));
