/**
 * Lesson progress in localStorage. A lesson is done once its self-check is answered correctly;
 * the key uses the language-free slug, so finishing a lesson in one language marks both.
 */
const progressEvent = "ws-lab:progress";

function key(lesson: string): string {
  return `ws-lab:done:${lesson}`;
}

function isDone(lesson: string): boolean {
  try {
    return localStorage.getItem(key(lesson)) === "1";
  } catch {
    return false;
  }
}

/** Records the lesson as done and tells the page (the sidebar marks listen). */
export function markDone(lesson: string): void {
  try {
    localStorage.setItem(key(lesson), "1");
  } catch {
    // without storage the mark lasts until the page is left
  }
  window.dispatchEvent(new CustomEvent(progressEvent, { detail: { lesson } }));
}

/** Shows a check mark next to every finished lesson in the lesson list. */
function renderProgressMarks(): void {
  for (const link of document.querySelectorAll<HTMLElement>("[data-lesson-link]")) {
    const lesson = link.dataset.lessonLink!;
    const done = isDone(lesson) || link.dataset.doneNow === "1";
    link.toggleAttribute("data-done", done);
    const mark = link.querySelector<HTMLElement>("[data-done-mark]");
    if (mark) mark.hidden = !done;
  }
}

export function initProgressMarks(): void {
  renderProgressMarks();
  window.addEventListener(progressEvent, (event) => {
    const { lesson } = (event as CustomEvent<{ lesson: string }>).detail;
    // storage may be unavailable, so the event itself also counts
    for (const link of document.querySelectorAll<HTMLElement>(`[data-lesson-link="${CSS.escape(lesson)}"]`)) {
      link.dataset.doneNow = "1";
    }
    renderProgressMarks();
  });
  window.addEventListener("storage", (event) => {
    if (event.key?.startsWith("ws-lab:done:")) renderProgressMarks();
  });
}
