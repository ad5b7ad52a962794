import type { quiz as en } from "../en/quiz.ts";

export const quiz = {
  "quiz.title": "Проверьте себя",
  "quiz.question": "Вопрос {{n}} из {{total}}",
  "quiz.check": "Проверить ответы",
  "quiz.correct": "Верно.",
  "quiz.incorrect": "Не совсем.",
  "quiz.unanswered": "Сначала выберите ответ.",
  "quiz.score": "Верных ответов: {{correct}} из {{total}}.",
  "quiz.allCorrect": "Всё верно. Урок отмечен в списке как пройденный.",
  "quiz.needsJs": "Для проверки ответов нужен JavaScript.",
} as const satisfies Record<keyof typeof en, string>;
