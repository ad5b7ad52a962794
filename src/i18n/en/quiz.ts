/** The self-check at the end of a lesson. */
export const quiz = {
  "quiz.title": "Self-check",
  "quiz.question": "Question {{n}} of {{total}}",
  "quiz.check": "Check answers",
  "quiz.correct": "Correct.",
  "quiz.incorrect": "Not quite.",
  "quiz.unanswered": "Choose an answer first.",
  "quiz.score": "{{correct}} of {{total}} correct.",
  "quiz.allCorrect": "All correct. The lesson is marked as done in the list.",
  "quiz.needsJs": "Checking answers needs JavaScript.",
} as const;
