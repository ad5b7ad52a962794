import { existsSync } from "node:fs";

/** Where Chromium lives: $CHROMIUM_PATH, else the Debian package's path. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
    (path): path is string => Boolean(path),
  );
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `No Chromium found (looked at ${candidates.join(", ")}). The browser tests need one: ` +
        "install it with `apt-get install -y chromium` or point CHROMIUM_PATH at a Chromium binary.",
    );
  }
  return found;
}
