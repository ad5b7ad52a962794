/** One multiple-choice question of a lesson's self-check; `answer` indexes `options`. */
export interface SelfCheckQuestion {
  question: string;
  options: string[];
  answer: number;
  explanation: string;
}

/** Fails the build on a question a reader could never answer right. */
export function assertValidQuestions(lesson: string, questions: readonly SelfCheckQuestion[]): void {
  if (questions.length === 0) throw new Error(`SelfCheck for "${lesson}" has no questions`);
  questions.forEach((q, i) => {
    const where = `SelfCheck for "${lesson}", question ${i + 1}`;
    if (q.options.length < 2) throw new Error(`${where}: needs at least two options`);
    if (!Number.isInteger(q.answer) || q.answer < 0 || q.answer >= q.options.length) {
      throw new Error(`${where}: answer ${q.answer} is not an index into its ${q.options.length} options`);
    }
    if (!q.question.trim() || !q.explanation.trim() || q.options.some((o) => !o.trim())) {
      throw new Error(`${where}: question, options and explanation must not be empty`);
    }
  });
}

export type Verdict = "correct" | "incorrect" | "unanswered";

/** Grades one question: `chosen` is the picked option index, or null when none is picked. */
export function verdict(chosen: number | null, answer: number): Verdict {
  if (chosen === null) return "unanswered";
  return chosen === answer ? "correct" : "incorrect";
}

/** A short stable id so several self-checks on one page never share radio group names. */
export function selfCheckId(lesson: string, questions: readonly SelfCheckQuestion[]): string {
  let hash = 0x811c9dc5;
  for (const char of JSON.stringify(questions)) {
    hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  }
  return `self-check-${lesson}-${hash.toString(36)}`;
}
