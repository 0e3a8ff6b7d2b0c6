import { expect, test } from "@playwright/test";

test.describe("home page", () => {
  test("validates the module path as you type, in the go command's words", async ({ page }) => {
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto("/");
    const input = page.getByRole("searchbox");
    await expect(input).toBeVisible();

    await page.keyboard.press("/");
    await expect(input).toBeFocused();

    await input.fill("X.y/z");
    await expect(page.getByRole("alert")).toHaveText('malformed module path "X.y/z": leading element must be lowercase');
    await expect(input).toHaveAttribute("aria-invalid", "true");

    await input.fill("https://github.com/IBM/sarama");
    await expect(page.getByRole("alert")).toContainText("is a URL, not a module path");

    await input.fill("github.com/IBM/sarama@v1.x");
    await expect(page.getByRole("alert")).toContainText('invalid version "v1.x"');

    await input.fill("github.com/IBM/sarama");
    await expect(page.getByRole("alert")).toHaveCount(0);
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
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("button", { name: "Check mirrors" })).toBeVisible();
    await context.close();
  });
});
