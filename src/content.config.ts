import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";
import { z } from "astro/zod";

/** Widgets a lesson may embed; the parity test checks both languages embed the same ones. */
export const widgetNames = [
  "AcceptKeyCalculator",
  "FrameEncoder",
  "FrameDecoder",
  "MaskingDemo",
  "HandshakeInspector",
  "CloseFrameBuilder",
  "EchoTerminal",
] as const;

const lessons = defineCollection({
  loader: glob({ pattern: "{en,ru}/*.mdx", base: "./content/lessons" }),
  schema: z.object({
    title: z.string().min(3),
    description: z.string().min(10),
    order: z.number().int().positive(),
    /** RFC 6455 sections the lesson teaches, e.g. "5.2". */
    rfc: z.array(z.string().regex(/^\d+(\.\d+)*$/)).default([]),
    widgets: z.array(z.enum(widgetNames)).default([]),
  }),
});

export const collections = { lessons };
