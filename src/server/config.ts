/**
 * Server settings: every limit has a safe default and can be set by an environment variable or a
 * command-line flag (the flag wins). Numbers are plain integers: bytes, milliseconds or counts.
 */

import { fileURLToPath } from "node:url";
import { getHeapStatistics } from "node:v8";

const KiB = 1024;
const builtSite = fileURLToPath(new URL("../../dist", import.meta.url));
const MiB = 1024 * KiB;

/**
 * Half the V8 heap limit (set with --max-old-space-size): the bytes held for messages are mostly
 * outside the JS heap, but each comes with heap objects and the process has more to do than hold
 * them, and an operator who sized the heap for the machine has sized this with it.
 */
const defaultMemoryBudget = Math.floor(getHeapStatistics().heap_size_limit / 2);

interface NumberSetting {
  kind: "number";
  flag: string;
  env: string;
  default: number;
  min: number;
  help: string;
}

interface StringSetting {
  kind: "string";
  flag: string;
  env: string;
  default: string;
  help: string;
}

interface BooleanSetting {
  kind: "boolean";
  flag: string;
  env: string;
  default: boolean;
  help: string;
}

type Setting = NumberSetting | StringSetting | BooleanSetting;

/** Every setting with its flag, environment variable, default and one-line help. */
export const settings = {
  port: { kind: "number", flag: "port", env: "PORT", default: 4321, min: 0, help: "TCP port to listen on" },
  host: { kind: "string", flag: "host", env: "HOST", default: "127.0.0.1", help: "address to listen on" },
  root: { kind: "string", flag: "root", env: "WS_LAB_ROOT", default: builtSite, help: "directory of the built site" },
  quiet: { kind: "boolean", flag: "quiet", env: "WS_LAB_QUIET", default: false, help: "no connection log lines" },
  maxMessageSize: {
    kind: "number", flag: "max-message-size", env: "WS_LAB_MAX_MESSAGE_SIZE", default: 4 * MiB, min: 125,
    help: "largest message in bytes, after reassembly (close 1009 above it)",
  },
  maxFrameSize: {
    kind: "number", flag: "max-frame-size", env: "WS_LAB_MAX_FRAME_SIZE", default: 4 * MiB, min: 125,
    help: "largest frame payload in bytes (close 1009 above it)",
  },
  handshakeTimeout: {
    kind: "number", flag: "handshake-timeout", env: "WS_LAB_HANDSHAKE_TIMEOUT", default: 5000, min: 1,
    help: "ms a client has to send its whole upgrade request",
  },
  idleTimeout: {
    kind: "number", flag: "idle-timeout", env: "WS_LAB_IDLE_TIMEOUT", default: 30_000, min: 1,
    help: "ms without any incoming byte before the server sends a ping",
  },
  pongTimeout: {
    kind: "number", flag: "pong-timeout", env: "WS_LAB_PONG_TIMEOUT", default: 10_000, min: 1,
    help: "ms to wait for any byte after that ping before dropping the connection",
  },
  maxConnections: {
    kind: "number", flag: "max-connections", env: "WS_LAB_MAX_CONNECTIONS", default: 1000, min: 0,
    help: "open WebSocket connections in total (503 above it)",
  },
  maxConnectionsPerIp: {
    kind: "number", flag: "max-connections-per-ip", env: "WS_LAB_MAX_CONNECTIONS_PER_IP", default: 32, min: 0,
    help: "open WebSocket connections from one client address (503 above it)",
  },
  maxConnectionsPerPrefix: {
    kind: "number", flag: "max-connections-per-prefix", env: "WS_LAB_MAX_CONNECTIONS_PER_PREFIX", default: 128, min: 0,
    help: "open WebSocket connections from one IPv4 /24 or IPv6 /64 network (503 above it)",
  },
  memoryBudget: {
    kind: "number", flag: "memory-budget", env: "WS_LAB_MEMORY_BUDGET", default: defaultMemoryBudget, min: 1,
    help: "bytes all connections may hold, messages in and out; past it the largest are closed with 1013, and at 90% new upgrades get 503 (default: half the heap limit)",
  },
  maxMessageRate: {
    kind: "number", flag: "max-message-rate", env: "WS_LAB_MAX_MESSAGE_RATE", default: 1000, min: 1,
    help: "frames a connection may send per second, fragments and control frames included (close 1008 above it)",
  },
  maxBufferedBytes: {
    kind: "number", flag: "max-buffered-bytes", env: "WS_LAB_MAX_BUFFERED_BYTES", default: 16 * MiB, min: 1,
    help: "bytes waiting to be written to a client that does not read (dropped above it)",
  },
  allowedOrigins: {
    kind: "string", flag: "allowed-origins", env: "WS_LAB_ALLOWED_ORIGINS", default: "",
    help: "comma-separated origins allowed besides same-origin and localhost, or * for any (403 otherwise)",
  },
  trustProxy: {
    kind: "boolean", flag: "trust-proxy", env: "WS_LAB_TRUST_PROXY", default: false,
    help: "take the client address from the last X-Forwarded-For entry (behind nginx)",
  },
  shutdownGrace: {
    kind: "number", flag: "shutdown-grace", env: "WS_LAB_SHUTDOWN_GRACE", default: 5000, min: 0,
    help: "ms to finish closing handshakes after SIGTERM or SIGINT",
  },
} as const satisfies Record<string, Setting>;

type Settings = typeof settings;
type ValueOf<S> = S extends NumberSetting ? number : S extends BooleanSetting ? boolean : string;

/** The resolved settings the server runs with. */
export type ServerConfig = { -readonly [K in keyof Settings]: ValueOf<Settings[K]> };

/** A bad flag or environment value, reported to the user as one line. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** The defaults, with `overrides` on top (tests build configs this way). */
export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const config = {} as Record<string, unknown>;
  for (const [key, setting] of Object.entries(settings)) config[key] = setting.default;
  return { ...(config as ServerConfig), ...overrides };
}

function parseValue(setting: Setting, raw: string, source: string): number | string | boolean {
  if (setting.kind === "string") return raw;
  if (setting.kind === "boolean") {
    if (/^(1|true|yes|on)?$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new ConfigError(`${source}: expected true or false, got ${JSON.stringify(raw)}`);
  }
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${source}: expected a whole number, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < setting.min) {
    throw new ConfigError(`${source}: must be at least ${setting.min}, got ${raw}`);
  }
  return value;
}

/**
 * Resolves the config from environment variables, then `--flag value`, `--flag=value` or a bare
 * boolean `--flag` in `args`.
 * @throws ConfigError for an unknown flag or a value of the wrong kind.
 */
export function loadConfig(args: readonly string[], env: Readonly<Record<string, string | undefined>>): ServerConfig {
  const config = defaultConfig() as Record<string, unknown>;
  const byFlag = new Map<string, [string, Setting]>();
  for (const [key, setting] of Object.entries(settings) as [string, Setting][]) {
    byFlag.set(setting.flag, [key, setting]);
    const raw = env[setting.env];
    if (raw !== undefined && raw !== "") config[key] = parseValue(setting, raw, setting.env);
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const entry = match && byFlag.get(match[1]!);
    if (!match || !entry) throw new ConfigError(`unknown option ${arg}`);
    const [key, setting] = entry;
    let raw = match[2];
    if (raw === undefined && setting.kind !== "boolean") {
      raw = args[++i];
      if (raw === undefined) throw new ConfigError(`--${setting.flag} needs a value`);
    }
    config[key] = parseValue(setting, raw ?? "", `--${setting.flag}`);
  }
  return config as ServerConfig;
}

/** The options section of `ws-lab serve --help`: one line per setting. */
export function settingsHelp(): string {
  return Object.values(settings as Record<string, Setting>)
    .map((s) => `  --${s.flag.padEnd(24)} ${s.help} (env ${s.env}, default ${s.default === "" ? "none" : String(s.default)})`)
    .join("\n");
}
