import { verdict, type Verdict } from "../self-check.ts";
import { fill } from "../../i18n/plural.ts";
import { markDone } from "./progress.ts";

interface Strings {
  correct: string;
  incorrect: string;
  unanswered: string;
  score: string;
  allCorrect: string;
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
  for (const section of document.querySelectorAll<HTMLElement>("[data-self-check]")) {
    const form = section.querySelector("form")!;
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
