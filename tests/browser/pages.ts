import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, relative, sep } from "node:path";

const dist = fileURLToPath(new URL("../../dist/", import.meta.url));

/** Every page the build wrote, as the path a reader would open. */
export function builtPages(): string[] {
  const pages: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".html")) {
        const url = "/" + relative(dist, path).split(sep).join("/");
        pages.push(url.endsWith("/index.html") ? url.slice(0, -"index.html".length) : url);
      }
    }
  };
  walk(dist);
  return pages.sort();
}

/** The lesson pages of both languages (`/en/masking/`): every built page one level under a language but the playground. */
export function lessonPages(): string[] {
  return builtPages().filter((path) => /^\/(en|ru)\/[^/]+\/$/.test(path) && !path.endsWith("/playground/"));
}
