/**
 * Adds a Copy button to every highlighted code block: markdown fences and `<Code>` both render
 * a `pre.astro-code`, so one selector covers them. Buttons exist only when JavaScript can copy.
 */
export function initCopyButtons(root: ParentNode = document): void {
  const strings = document.body.dataset;
  const status = document.querySelector<HTMLElement>("[data-copy-status]");
  for (const pre of root.querySelectorAll<HTMLPreElement>("pre.astro-code")) {
    if (pre.parentElement?.classList.contains("code-block")) continue;
    const wrapper = document.createElement("div");
    wrapper.className = "code-block";
    pre.replaceWith(wrapper);
    wrapper.append(pre);

    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    // The accessible name starts with the visible word (WCAG 2.5.3) and says what is copied.
    const showState = (text: string, label: string) => {
      button.textContent = text;
      button.setAttribute("aria-label", label);
    };
    showState(strings.copy ?? "Copy", strings.copyLabel ?? "Copy code");
    button.addEventListener("click", async () => {
      let message = strings.copied ?? "Copied";
      try {
        await navigator.clipboard.writeText(pre.querySelector("code")?.innerText ?? pre.innerText);
      } catch {
        message = strings.copyFailed ?? "Copy failed";
      }
      showState(message, message);
      if (status) status.textContent = message;
      setTimeout(() => {
        showState(strings.copy ?? "Copy", strings.copyLabel ?? "Copy code");
        if (status) status.textContent = "";
      }, 2000);
    });
    wrapper.append(button);
  }
}
