import { expect, test } from "@playwright/test";
import { watchConsole } from "./console-errors";

test.describe("home page", () => {
  test("validates the module path as you type, in the go command's words", async ({ page }) => {
    const consoleErrors = watchConsole(page);
    await page.goto("/");
    // An ARIA combobox (it suggests known modules), still an <input type="search">.
    const input = page.getByRole("combobox", { name: "Go module" });
    await expect(input).toBeVisible();
    // Scoped: Next's route announcer is a second role="alert" on every page.
    const alert = page.locator("#module-search-status").getByRole("alert");

    await page.keyboard.press("/");
    await expect(input).toBeFocused();

    await input.fill("X.y/z");
    await expect(alert).toHaveText(`malformed module path "X.y/z": invalid char 'X' in first path element`);
    await expect(input).toHaveAttribute("aria-invalid", "true");

    await input.fill("https://github.com/IBM/sarama");
    await expect(alert).toContainText("is a URL, not a module path");

    await input.fill("github.com/IBM/sarama@v1.x");
    await expect(alert).toContainText('invalid version "v1.x"');

    await input.fill("github.com/IBM/sarama");
    await expect(alert).toHaveCount(0);
    await expect(page.getByText("Valid module path.")).toBeVisible();
    await page.screenshot({ path: "test-results/screens/home.png", fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  test("speaks Simplified Chinese when the browser asks for it", async ({ browser }) => {
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("button", { name: "检查镜像" })).toBeVisible();
    await page.screenshot({ path: "test-results/screens/home-zh.png" });
    // The switch is remembered in a cookie; a shared link opens in Chinese only when it asks with ?lang=.
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("button", { name: "Check mirrors" })).toBeVisible();
    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.goto("/?lang=zh-CN");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await context.close();
  });
});
