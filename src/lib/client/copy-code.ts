/** Languages whose name says nothing worth a label (program output, plain text). */
const unlabelled = new Set(["text", "txt", "plaintext", "plain"]);

/**
 * Adds a bar with the code's language and a Copy button to every highlighted code block: markdown
 * fences and `<Code>` both render a `pre.astro-code`, so one selector covers them. The bar sits in
 * the block's top padding, which the stylesheet reserves as soon as the page knows it has
 * JavaScript (`html.js`), so it never covers a line of code and nothing moves when it appears.
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

    const bar = document.createElement("div");
    bar.className = "code-bar";
    const language = pre.dataset.language ?? "";
    if (language && !unlabelled.has(language)) {
      const label = document.createElement("span");
      label.className = "code-language";
      label.textContent = language;
      bar.append(label);
    }

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
    bar.append(button);
    wrapper.append(bar);
  }
}
