import { optionOrder, verdict, type Verdict } from "../self-check.ts";
import { fill } from "../../i18n/plural.ts";
import { markDone } from "./progress.ts";

interface Strings {
  correct: string;
  incorrect: string;
  unanswered: string;
  score: string;
  allCorrect: string;
}

const seedKey = "ws-lab:quiz-seed";

/**
 * This reader's shuffle seed: drawn once and kept, so the options stay where the reader saw them on
 * every visit. Without storage it lasts for this page view only.
 */
function readerSeed(): number {
  try {
    const stored = localStorage.getItem(seedKey);
    if (stored !== null && /^\d{1,10}$/.test(stored) && Number(stored) < 2 ** 32) return Number(stored);
  } catch {
    // storage disabled: fall through to a seed for this page view
  }
  const seed = crypto.getRandomValues(new Uint32Array(1))[0]!;
  try {
    localStorage.setItem(seedKey, String(seed));
  } catch {
    // nothing to keep it in
  }
  return seed;
}

/**
 * Puts each question's options in this reader's order. Each option moves as a whole (its label,
 * its radio with the original index as value), so grading, explanations and the radio group's
 * arrow-key order all follow what the reader sees.
 */
function shuffleOptions(form: HTMLElement, seed: number): void {
  for (const fieldset of questionsOf(form)) {
    const options = [...fieldset.querySelectorAll<HTMLLabelElement>("label.option")];
    const name = options[0]?.querySelector("input")?.name;
    if (!name) continue;
    const feedback = fieldset.querySelector("[data-feedback]");
    for (const index of optionOrder(options.length, seed, name)) fieldset.insertBefore(options[index]!, feedback);
  }
}

function chosenOption(fieldset: HTMLFieldSetElement): number | null {
  const checked = fieldset.querySelector<HTMLInputElement>("input[type=radio]:checked");
  return checked ? Number(checked.value) : null;
}

function showVerdict(fieldset: HTMLFieldSetElement, result: Verdict, strings: Strings): void {
  const feedback = fieldset.querySelector<HTMLElement>("[data-feedback]")!;
  fieldset.dataset.verdict = result;
  const label = document.createElement("strong");
  label.textContent = strings[result];
  feedback.replaceChildren(label);
  if (result !== "unanswered") feedback.append(" ", fieldset.dataset.explanation ?? "");
}

function questionsOf(form: HTMLElement): HTMLFieldSetElement[] {
  return [...form.querySelectorAll<HTMLFieldSetElement>("fieldset[data-answer]")];
}

function verdictOf(fieldset: HTMLFieldSetElement): Verdict {
  return verdict(chosenOption(fieldset), Number(fieldset.dataset.answer));
}

/** Updates the summary line; returns whether every question is answered correctly. */
function summarize(form: HTMLElement, strings: Strings): boolean {
  const questions = questionsOf(form);
  const correct = questions.filter((fieldset) => verdictOf(fieldset) === "correct").length;
  const allCorrect = correct === questions.length;
  const summary = form.querySelector<HTMLElement>("[data-summary]")!;
  summary.textContent = allCorrect ? strings.allCorrect : fill(strings.score, { correct, total: questions.length });
  return allCorrect;
}

export function initSelfChecks(): void {
  const sections = document.querySelectorAll<HTMLElement>("[data-self-check]");
  if (sections.length === 0) return;
  const seed = readerSeed();
  for (const section of sections) {
    const form = section.querySelector("form")!;
    shuffleOptions(form, seed);
    const strings = JSON.parse(section.dataset.strings!) as Strings;
    const lesson = section.dataset.lesson!;
    let checked = false;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      checked = true;
      for (const fieldset of questionsOf(form)) showVerdict(fieldset, verdictOf(fieldset), strings);
      if (summarize(form, strings)) markDone(lesson);
    });
    // After the first check, changing an answer re-grades that question at once.
    form.addEventListener("change", (event) => {
      if (!checked) return;
      const fieldset = (event.target as HTMLElement).closest<HTMLFieldSetElement>("fieldset[data-answer]");
      if (!fieldset) return;
      showVerdict(fieldset, verdictOf(fieldset), strings);
      if (summarize(form, strings)) markDone(lesson);
    });
  }
}
