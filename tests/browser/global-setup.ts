import type { TestProject } from "vitest/node";
import { startSiteServer } from "../helpers/site-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    BASE_URL: string;
  }
}

/** One site server for every browser test file; its URL reaches tests as inject("BASE_URL"). */
export default async function setup(project: TestProject) {
  const server = await startSiteServer();
  project.provide("BASE_URL", server.url);
  return () => server.stop();
}
