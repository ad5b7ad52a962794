import { fileURLToPath } from "node:url";
import type { Locator, Page } from "playwright-core";
import { describe, expect, inject, test } from "vitest";
import { browserForFile } from "./browser.ts";
import { t, type Lang } from "../../src/i18n/index.ts";

const base = inject("BASE_URL");
const axePath = fileURLToPath(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url));
const widgetNames = ["accept-key", "handshake", "frame-encoder", "frame-decoder", "masking-demo", "close-builder"] as const;

const browser = browserForFile();

async function openPlayground(lang: Lang, hash = ""): Promise<Page> {
  const { page } = await browser.newPage({ permissions: ["clipboard-read", "clipboard-write"] });
  await page.goto(`${base}/${lang}/playground/${hash}`);
  return page;
}

/** A widget after hydration: client:visible islands hydrate once scrolled into view. */
async function widget(page: Page, name: (typeof widgetNames)[number]): Promise<Locator> {
  const root = page.locator(`[data-widget="${name}"]`);
  await root.scrollIntoViewIfNeeded();
  await page.locator("astro-island:not([ssr])", { has: root }).waitFor();
  return root;
}

for (const lang of ["en", "ru"] as const) {
  describe(`the ${lang} playground`, () => {
    test("is rendered with the RFC examples before any script runs", async () => {
      const response = await fetch(`${base}/${lang}/playground/`);
      const html = await response.text();
      expect(html).toContain(`<html lang="${lang}"`);
      expect(html).toContain("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
      expect(html).toContain("81 85 37 fa 21 3d 7f 9f 4d 51 58");
      expect(html).toContain("HTTP/1.1 101 Switching Protocols");
      expect(html).toContain(t(lang, "playground.intro").slice(0, 40));
    });

    test("§1.3: typing the RFC key gives the RFC accept value; a short key is flagged", async () => {
      const page = await openPlayground(lang);
      const root = await widget(page, "accept-key");
      const input = root.getByTestId("accept-key-input");
      const output = root.getByTestId("accept-key-output");
      await input.fill("");
      await input.pressSequentially("AAAAAAAAAAAAAAAAAAAAAA==");
      await expect.poll(() => output.textContent()).toContain("ICX+Yqv66kxgM0FcWaLWlFLwTAI=");
      await input.fill("");
      await input.pressSequentially("dGhlIHNhbXBsZSBub25jZQ==");
      await expect.poll(() => output.textContent()).toBe("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
      await input.fill("c2hvcnQ=");
      await expect.poll(() => root.getByTestId("accept-key-problem").textContent()).toContain(t(lang, "error.key-wrong-length"));
      // The arithmetic is still shown for a key the server would refuse.
      await expect.poll(() => output.textContent()).toMatch(/Sec-WebSocket-Accept: \S{27}=/);
    });

    test("§5.7: the encoder builds the masked 'Hello' from its fields", async () => {
      const page = await openPlayground(lang);
      const root = await widget(page, "frame-encoder");
      const output = root.getByTestId("frame-encoder-output");
      await root.getByRole("button", { name: t(lang, "frameEncoder.preset.unmaskedHello") }).click();
      expect(await output.textContent()).toBe("81 05 48 65 6c 6c 6f");
      await root.getByRole("checkbox", { name: "MASK" }).check();
      await root.getByTestId("frame-encoder-key").fill("37 fa 21 3d");
      expect(await output.textContent()).toBe("81 85 37 fa 21 3d 7f 9f 4d 51 58");
      await root.getByRole("button", { name: t(lang, "frameEncoder.fillBytes", { count: 126 }) }).click();
      expect(await output.textContent()).toMatch(/^81 fe 00 7e 37 fa 21 3d /);
    });

    test("§5.7: the decoder reads the masked 'Hello' as a server would", async () => {
      const page = await openPlayground(lang);
      const root = await widget(page, "frame-decoder");
      const output = root.getByTestId("frame-decoder-output");
      await root.getByTestId("frame-decoder-input").fill("0x81:0x85:0x37:0xfa:0x21:0x3d:0x7f:0x9f:0x4d:0x51:0x58");
      expect(await output.textContent()).toContain("Hello");
      expect(await output.textContent()).toContain("37 fa 21 3d");
      expect(await root.getByTestId("frame-decoder-error").count()).toBe(0);
    });

    test("§5.1: an unmasked frame sent to a server is a 1002 error with its reason and section", async () => {
      const page = await openPlayground(lang);
      const root = await widget(page, "frame-decoder");
      await root.getByTestId("frame-decoder-receiver-server").check();
      await root.getByTestId("frame-decoder-input").fill("81 05 48 65 6c 6c 6f");
      const error = root.getByTestId("frame-decoder-error");
      const text = await error.textContent();
      expect(text).toContain("1002");
      expect(text).toContain(t(lang, "error.unmasked-client-frame"));
      expect(text).toContain("5.1");
      // The same bytes are fine for a client.
      await root.getByTestId("frame-decoder-receiver-client").check();
      expect(await error.count()).toBe(0);
      expect(await root.getByTestId("frame-decoder-output").textContent()).toContain("Hello");
    });

    test("a cut-off frame says which field it is waiting for", async () => {
      const page = await openPlayground(lang);
      const root = await widget(page, "frame-decoder");
      const input = root.getByTestId("frame-decoder-input");
      const waiting = root.getByTestId("frame-decoder-waiting");
      await input.fill("81 85 37 fa");
      expect(await waiting.textContent()).toContain(t(lang, "field.maskingKey"));
      await input.fill("82 fe 01");
      expect(await waiting.textContent()).toContain(t(lang, "field.extendedLength16"));
      await input.fill("81 85 37 fa 21 3d 7f 9f");
      expect(await waiting.textContent()).toContain(t(lang, "field.payload"));
    });

    test("a copied link restores the decoder's state in a new page", async () => {
      const page = await openPlayground(lang);
      const root = await widget(page, "frame-decoder");
      await root.getByTestId("frame-decoder-receiver-client").check();
      await root.getByTestId("frame-decoder-input").fill("89 05 48 65 6c 6c 6f");
      await root.getByTestId("copy-link").click();
      await expect.poll(() => root.getByRole("status").filter({ hasText: t(lang, "widget.linkCopied") }).count()).toBe(1);
      const link = await page.evaluate(() => navigator.clipboard.readText());
      expect(link).toContain(`/${lang}/playground/#frame-decoder=`);

      const { page: shared } = await browser.newPage();
      await shared.goto(link);
      const restored = await widget(shared, "frame-decoder");
      await expect.poll(() => restored.getByTestId("frame-decoder-input").inputValue()).toBe("89 05 48 65 6c 6c 6f");
      expect(await restored.getByTestId("frame-decoder-receiver-client").isChecked()).toBe(true);
      expect(await restored.getByTestId("frame-decoder-output").textContent()).toContain(
        t(lang, "frameDecoder.message.ping", { count: 5 }),
      );
    });

    test("two widgets' states share one address without clobbering each other", async () => {
      const page = await openPlayground(lang);
      const decoder = await widget(page, "frame-decoder");
      await decoder.getByTestId("frame-decoder-input").fill("8a 00");
      const masking = await widget(page, "masking-demo");
      await masking.getByTestId("masking-payload").fill("Hi");
      const url = await page.evaluate(() => location.href);
      expect(url).toContain("frame-decoder=");
      expect(url).toContain("masking=");

      const { page: again } = await browser.newPage();
      await again.goto(url);
      // The hash is read in an effect after hydration, a moment after the island drops its ssr mark.
      const masked = (await widget(again, "masking-demo")).getByTestId("masking-output");
      await expect.poll(() => masked.textContent()).toBe("7f 93");
      const decoderInput = (await widget(again, "frame-decoder")).getByTestId("frame-decoder-input");
      await expect.poll(() => decoderInput.inputValue()).toBe("8a 00");
    });

    test("the handshake inspector answers the prefilled request with the RFC's 101 and checks a pasted response", async () => {
      const page = await openPlayground(lang);
      const root = await widget(page, "handshake");
      const response = root.getByTestId("handshake-response");
      await expect.poll(() => response.textContent()).toContain("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
      expect(await response.textContent()).toContain("Sec-WebSocket-Protocol: chat");

      const input = root.getByTestId("handshake-input");
      const request = await input.inputValue();
      await input.fill(request.replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8").replace(/\n/g, "\r\n"));
      await expect.poll(() => response.textContent()).toContain("426 Upgrade Required");
      expect(await response.textContent()).toContain("Sec-WebSocket-Version: 13");

      await input.fill(request);
      const pasted = root.getByTestId("handshake-server-response");
      await pasted.fill("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Accept: AAAA\n");
      await expect.poll(() => root.locator('[data-check="accept"][data-passed="false"]').count()).toBe(1);
    });

    test("1005 cannot be put in a Close frame: the builder shows why and no bytes", async () => {
      const page = await openPlayground(lang);
      const root = await widget(page, "close-builder");
      expect(await root.getByTestId("close-builder-output").textContent()).toBe("88 05 03 e8 62 79 65");
      await root.getByTestId("close-builder-select").selectOption("1005");
      expect(await root.getByTestId("close-builder-output").count()).toBe(0);
      expect(await root.getByTestId("close-builder-error").textContent()).toContain(t(lang, "error.close-code-not-sendable"));
      expect(await root.getByTestId("close-builder-description").textContent()).toContain(t(lang, "closeBuilder.code.1005"));
    });

    test("§5.5.1: a reason without a code is refused because the reason needs a code", async () => {
      const page = await openPlayground(lang);
      const root = await widget(page, "close-builder");
      await root.getByTestId("close-builder-code").fill("");
      await root.getByTestId("close-builder-reason").fill("bye");
      const error = await root.getByTestId("close-builder-error").textContent();
      expect(error).toContain(t(lang, "error.close-reason-without-code"));
      expect(error).not.toContain(t(lang, "error.close-code-not-sendable"));
    });

    test("the masking demo says it is playing, and plays faster at a higher speed", async () => {
      const page = await openPlayground(lang, `#masking=${encodeURIComponent(JSON.stringify({ payload: "x".repeat(64), maskingKey: "37 fa 21 3d", step: 0 }))}`);
      const root = await widget(page, "masking-demo");
      await expect.poll(() => root.getByTestId("masking-payload").inputValue()).toBe("x".repeat(64));
      await root.getByTestId("masking-speed-fast").check();
      await root.getByRole("button", { name: t(lang, "masking.play") }).click();
      const line = root.locator(".widget-summary");
      expect(await line.textContent()).not.toBe(t(lang, "masking.stepStart"));
      // 64 bytes at the fast speed take about 5 s (45 s at the old single speed).
      await expect.poll(() => root.getByRole("button", { name: t(lang, "masking.play") }).count(), { timeout: 15_000 }).toBe(1);
      expect(await root.textContent()).toContain(t(lang, "masking.progress", { step: 64, count: 64 }));
    });

    test("the masking demo steps byte by byte from the keyboard", async () => {
      const page = await openPlayground(lang);
      const root = await widget(page, "masking-demo");
      await root.getByRole("button", { name: t(lang, "masking.prev") }).focus();
      for (let i = 0; i < 4; i++) await page.keyboard.press("Enter");
      const line = root.locator(".widget-summary");
      expect(await line.textContent()).toBe(
        t(lang, "masking.stepLine", { i: 0, byte: "0x48", j: 0, key: "0x37", result: "0x7f" }),
      );
      expect(await root.getByTestId("masking-output").textContent()).toBe("7f 9f 4d 51 58");
      expect(await root.getByTestId("masking-unmasked").textContent()).toBe("Hello");
    });

    test("axe finds no accessibility violations in either theme", async () => {
      // The site's CSP forbids inline scripts, which is how axe is injected.
      const { page } = await browser.newPage({ bypassCSP: true });
      // No colour transitions, so each theme is measured in its final colours.
      await page.emulateMedia({ reducedMotion: "reduce" });
      await page.goto(`${base}/${lang}/playground/`);
      for (const name of widgetNames) await widget(page, name);
      await page.addScriptTag({ path: axePath });
      for (const theme of ["light", "dark"] as const) {
        await page.evaluate((value) => (document.documentElement.dataset.theme = value), theme);
        const violations = await page.evaluate(async () => {
          const result = await (window as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe.run();
          return result.violations;
        });
        expect(violations, `${theme}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
      }
    });
  });
}

test("the playground page ships its JavaScript from its own origin; report the bytes", async () => {
  const { page } = await browser.newPage();
  const scripts = new Map<string, number>();
  page.on("response", async (response) => {
    if (response.request().resourceType() === "script") scripts.set(response.url(), (await response.body()).length);
  });
  await page.goto(`${base}/en/playground/`);
  await page.waitForLoadState("networkidle");
  const beforeScroll = [...scripts.values()].reduce((sum, size) => sum + size, 0);
  for (const name of widgetNames) await widget(page, name);
  await page.waitForLoadState("networkidle");
  const total = [...scripts.values()].reduce((sum, size) => sum + size, 0);
  const list = [...scripts].sort((a, b) => b[1] - a[1]).map(([url, size]) => `  ${size}\t${new URL(url).pathname}`);
  console.log(`playground JS: ${beforeScroll} bytes on load, ${total} bytes in ${scripts.size} files once all six widgets hydrated\n${list.join("\n")}`);
  expect([...scripts.keys()].every((url) => url.startsWith(base))).toBe(true);
  expect(total).toBeGreaterThan(beforeScroll);
});
