export * from "./endpoint.ts";
export * from "./inspect.ts";
export * from "./chat-format.ts";
export * from "./chat-rooms.ts";
