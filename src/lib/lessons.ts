import { getCollection, type CollectionEntry } from "astro:content";
import type { Lang } from "../i18n/index.ts";

export type Lesson = CollectionEntry<"lessons">;

/** `en/05-masking` -> `masking`: the URL slug drops the language and the ordering prefix. */
export function lessonSlug(lesson: Lesson): string {
  return lesson.id.split("/")[1]!.replace(/^\d+-/, "");
}

export function lessonLang(lesson: Lesson): Lang {
  return lesson.id.split("/")[0] as Lang;
}

export function lessonHref(lang: Lang, slug: string): string {
  return `/${lang}/${slug}/`;
}

/** The lessons of one language, in the order the course teaches them. */
export async function lessonsFor(lang: Lang): Promise<Lesson[]> {
  const all = await getCollection("lessons", (entry) => lessonLang(entry) === lang);
  return all.sort((a, b) => a.data.order - b.data.order);
}
