import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import axe from 'axe-core';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';

/**
 * The browser: CHROMIUM_PATH when set, else `chromium` on the PATH (Debian's package, which .ci/run
 * installs when there is none), else Debian's /usr/bin/chromium.
 */
export const CHROMIUM_PATH =
  process.env.CHROMIUM_PATH ||
  (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'chromium'))
    .find((candidate) => {
      try {
        accessSync(candidate, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }) ||
  '/usr/bin/chromium';

/** Full-page screenshots of the tests, for a person to look at (git-ignored). */
export const SCREENSHOTS_DIR = join(import.meta.dirname, 'screenshots');

/** A browser for the test file: launched before its tests, closed after them. Call it at the top level of a describe or the file. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is not launched yet (use it inside a test)');
    return browser;
  };
}

async function launchBrowser(): Promise<Browser> {
  const args = ['--disable-dev-shm-usage', '--lang=en-US'];
  // Chromium's sandbox refuses to start as root (containers, CI runners); as any other user it stays on.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args,
    defaultViewport: { width: 1280, height: 900 },
  });
}

export interface TestPage {
  page: Page;
  /** Every request the page attempted to another origin (refused, never sent), in order. */
  refused: string[];
  /** Uncaught exceptions of the page's scripts, and what they logged with console.error. */
  errors: string[];
}

/**
 * A new page of `browser` that may reach `baseUrl`'s origin and nothing else: every request to
 * another origin (a CDN, a font service, analytics) is refused before it leaves the browser and
 * recorded in `refused`, so a test can prove the page needs nothing from the network. `data:` and
 * `blob:` URLs are the page's own memory, not requests, and pass. The page's own Content-Security-Policy
 * stays in force.
 */
export async function openPage(browser: Browser, baseUrl: string): Promise<TestPage> {
  const origin = new URL(baseUrl).origin;
  const page = await browser.newPage();
  const refused: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error instanceof Error ? error.message : String(error)));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const source = message.location().url;
    // Chromium asks for /favicon.ico by itself, whatever the page says; its 404 is not the page's error.
    if (source && new URL(source).pathname === '/favicon.ico') return;
    errors.push(source ? `${message.text()} (${source})` : message.text());
  });
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === origin || url.protocol === 'data:' || url.protocol === 'blob:') {
      void request.continue();
    } else {
      refused.push(request.url());
      void request.abort('blockedbyclient');
    }
  });
  return { page, refused, errors };
}

export interface AccessibilityViolation {
  /** axe's rule id, e.g. `color-contrast`. */
  id: string;
  impact: 'serious' | 'critical';
  help: string;
  /** CSS selectors of the offending elements. */
  targets: string[];
}

/**
 * axe-core over the page as it is now; returns the violations of impact serious or critical (tests
 * assert the list is empty). axe is evaluated through the DevTools protocol, which the page's strict
 * `script-src 'self'` policy does not govern (a `<script>` tag would be refused), so the page is
 * checked under its real policy, without `setBypassCSP`.
 */
export async function checkAccessibility(page: Page): Promise<AccessibilityViolation[]> {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const results = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.map(String).join(' ')),
    }));
  });
  return violations.filter((violation): violation is AccessibilityViolation => violation.impact === 'serious' || violation.impact === 'critical');
}

/** Writes a full-page PNG to test/browser/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name}.png`) as `${string}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}
