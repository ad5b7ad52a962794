import { constants, brotliCompress, gzip } from "node:zlib";
import { readFile, readdir, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Text types worth compressing; images, fonts and Pagefind's index are compressed already. */
const compressible = /\.(html|js|mjs|css|svg|json|xml|txt|map|webmanifest)$/;
const minSize = 1024;

async function isFresh(target: string, sourceMtime: number): Promise<boolean> {
  try {
    return (await stat(target)).mtimeMs >= sourceMtime;
  } catch {
    return false;
  }
}

async function writeAtomically(target: string, data: Uint8Array): Promise<void> {
  // Several servers may start at once over the same dist/: a rename never shows a half-written file.
  const temp = `${target}.${process.pid}.tmp`;
  await writeFile(temp, data);
  await rename(temp, target);
}

async function* textFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* textFiles(path);
    else if (entry.isFile() && compressible.test(entry.name)) yield path;
  }
}

/**
 * Writes `.br` and `.gz` siblings of the site's text files (skipping fresh ones), so that sirv
 * serves them precompressed. Returns how many files were compressed; 0 when `root` is read-only.
 */
export async function precompress(root: string): Promise<number> {
  let written = 0;
  try {
    for await (const path of textFiles(root)) {
      const info = await stat(path);
      if (info.size < minSize) continue;
      const [brFresh, gzFresh] = await Promise.all([isFresh(`${path}.br`, info.mtimeMs), isFresh(`${path}.gz`, info.mtimeMs)]);
      if (brFresh && gzFresh) continue;
      const source = await readFile(path);
      const [br, gz] = await Promise.all([
        brotliAsync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 10, [constants.BROTLI_PARAM_SIZE_HINT]: source.length } }),
        gzipAsync(source, { level: 9 }),
      ]);
      await Promise.all([writeAtomically(`${path}.br`, br), writeAtomically(`${path}.gz`, gz)]);
      written++;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EACCES" && code !== "EROFS" && code !== "EPERM" && code !== "ENOENT") throw error;
  }
  return written;
}
