import { useState } from "react";
import type { Lang } from "../../i18n/index.ts";
import { translator } from "../../i18n/index.ts";
import { shareLink, type HashState } from "./hashState.ts";

type Status = { kind: "idle" } | { kind: "copied" } | { kind: "manual"; link: string };

/** "Copy link" for one widget's state; where the clipboard is unavailable, shows the link to copy by hand. */
export function CopyLink({ lang, name, state }: { lang: Lang; name: string; state: HashState }) {
  const t = translator(lang);
  const [status, setStatus] = useState<Status>({ kind: "idle" });

  async function copy() {
    const link = shareLink(location.href, name, state);
    try {
      await navigator.clipboard.writeText(link);
      setStatus({ kind: "copied" });
    } catch {
      setStatus({ kind: "manual", link });
    }
  }

  return (
    <div className="widget-share">
      <button type="button" onClick={copy} data-testid="copy-link">
        {t("widget.copyLink")}
      </button>
      <span role="status" className="widget-share-status">
        {status.kind === "copied" && t("widget.linkCopied")}
        {status.kind === "manual" && t("widget.copyManually")}
      </span>
      {status.kind === "manual" && (
        <input
          type="text"
          readOnly
          value={status.link}
          aria-label={t("widget.shareLinkLabel")}
          onFocus={(event) => event.currentTarget.select()}
          className="widget-share-link"
          data-testid="share-link"
        />
      )}
    </div>
  );
}
