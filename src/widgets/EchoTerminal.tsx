import "./widgets.css";
import { useEffect, useId, useRef, useState } from "react";
import { translator, type Lang } from "../i18n/index.ts";
import type { MountedTerminal } from "../terminal/mount.ts";

type Phase = "closed" | "loading" | "open" | "failed";

/**
 * The echo terminal: rendered as a description and an "Open terminal" button; xterm and the
 * console load (dynamic import) only when the reader opens it.
 */
export default function EchoTerminal({ lang }: { lang: Lang }) {
  const t = translator(lang);
  const hintId = useId();
  const screen = useRef<HTMLDivElement>(null);
  const mounted = useRef<MountedTerminal | null>(null);
  const [phase, setPhase] = useState<Phase>("closed");

  useEffect(() => {
    if (phase !== "loading") return;
    let cancelled = false;
    import("../terminal/mount.ts")
      .then(async ({ mountTerminal }) => {
        if (cancelled || !screen.current) return;
        const terminal = await mountTerminal(screen.current, { lang, hintId });
        if (cancelled) return terminal.dispose();
        mounted.current = terminal;
        setPhase("open");
        terminal.focus();
      })
      .catch(() => !cancelled && setPhase("failed"));
    return () => {
      cancelled = true;
    };
  }, [phase, lang, hintId]);

  useEffect(() => () => mounted.current?.dispose(), []);

  return (
    <div className="widget echo-terminal" data-widget="echo-terminal" data-phase={phase} lang={lang}>
      <p>{t("terminal.island.description")}</p>
      {phase === "closed" && (
        <div className="widget-buttons">
          <button type="button" onClick={() => setPhase("loading")}>
            {t("terminal.island.open")}
          </button>
        </div>
      )}
      {phase === "loading" && <p role="status">{t("terminal.island.loading")}</p>}
      {phase === "failed" && <p role="alert">{t("terminal.island.loadFailed")}</p>}
      {phase !== "closed" && phase !== "failed" && (
        <>
          <p className="echo-terminal__hint" id={hintId}>
            {t("terminal.island.leaveHint")}
          </p>
          <div ref={screen} className="echo-terminal__screen" role="group" aria-label={t("terminal.island.label")} />
        </>
      )}
    </div>
  );
}
