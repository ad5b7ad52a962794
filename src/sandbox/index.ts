export * from "./endpoint.ts";
export * from "./inspect.ts";
