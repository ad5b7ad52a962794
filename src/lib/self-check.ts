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

/** FNV-1a over UTF-16 code units: a small stable hash, not a secure one. */
function fnv1a(text: string, hash = 0x811c9dc5): number {
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** A short stable id so several self-checks on one page never share radio group names. */
export function selfCheckId(lesson: string, questions: readonly SelfCheckQuestion[]): string {
  return `self-check-${lesson}-${fnv1a(JSON.stringify(questions)).toString(36)}`;
}

/** mulberry32: a tiny seeded generator of uniform numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The order in which one reader sees a question's `count` options: a permutation of 0..count-1
 * drawn from the reader's `seed` and the question's `key` (its radio group name). The same reader
 * gets the same order on every visit, another reader most likely a different one, so where the
 * right answer sits says nothing about which it is.
 */
export function optionOrder(count: number, seed: number, key: string): number[] {
  const random = seededRandom(fnv1a(key, seed >>> 0));
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
