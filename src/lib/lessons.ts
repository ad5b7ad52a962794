import { getCollection, type CollectionEntry } from "astro:content";
import type { Lang } from "../i18n/index.ts";

export type Lesson = CollectionEntry<"lessons">;

/** `en/05-masking` -> `masking`: the URL slug drops the language and the ordering prefix. */
export function lessonSlug(lesson: Lesson): string {
  return slugFromFileName(lesson.id.split("/")[1]!);
}

/** `05-masking.mdx` -> `masking`; the same rule names the self-check's progress key. */
function slugFromFileName(fileName: string): string {
  return fileName.replace(/\.mdx?$/, "").replace(/^\d+-/, "");
}

function lessonLang(lesson: Lesson): Lang {
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

/** The lessons before and after `slug` in course order, for the previous/next links. */
export function neighbours(lessons: readonly Lesson[], slug: string): { previous?: Lesson; next?: Lesson } {
  const index = lessons.findIndex((lesson) => lessonSlug(lesson) === slug);
  if (index < 0) return {};
  return { previous: lessons[index - 1], next: lessons[index + 1] };
}
