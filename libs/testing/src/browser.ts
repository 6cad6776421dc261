import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { ROOT } from './processes';

/** Debian's Chromium (`apt-get install -y chromium`); nothing is downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless and quiet: no GPU, no background traffic, no component or sync updates. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where browser tests leave screenshots (not committed). */
/**
 * How long a browser test waits for something the page shows after the platform acted (processing,
 * a live event, a chart): generous, because suites run side by side on two cores with Chromium,
 * api, worker and the stores. A wait, not a timing assertion.
 */
export const UI_WAIT_MS = 45_000;

export const ARTIFACTS = path.join(ROOT, 'artifacts');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A page of the dashboard with what the test should check at the end: console errors and page errors
 * (`problems`) and every request that left the deployment (`external`; a sovereign deployment loads
 * nothing from outside).
 */
export interface DashboardPage {
  context: BrowserContext;
  page: Page;
  problems: string[];
  external: string[];
}

/** Opens a new context and page on the dashboard at `baseUrl`, recording problems and outside requests. */
export async function openDashboard(
  browser: Browser,
  baseUrl: string,
  options: BrowserContextOptions = {},
): Promise<DashboardPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  const external: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith(baseUrl) && !request.url().startsWith('data:')) external.push(request.url());
  });
  await page.goto(baseUrl);
  return { context, page, problems, external };
}

/** Signs in through the login form and waits until the live connection says `live`. */
export async function signIn(page: Page, person: { email: string; password: string }): Promise<void> {
  await page.locator('input[name=email]').fill(person.email);
  await page.locator('input[name=password]').fill(person.password);
  await page.locator('button[type=submit]').click();
  await page.locator('output[data-state=live]').waitFor({ timeout: UI_WAIT_MS });
}

/** One axe-core finding: the rule, its impact and the elements it was found on. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

let axeSource: string | undefined;

/**
 * Runs axe-core (the npm package's own bundle) on the page as it stands and returns the violations of
 * impact `serious` or `critical`. The page's Content-Security-Policy forbids injected scripts, so the
 * context must be opened with `bypassCSP: true` for this check.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const injected = await page.evaluate('typeof window.axe');
  if (injected === 'undefined') await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate<AxeViolation[]>(`
    window.axe.run(document, { resultTypes: ['violations'] }).then((result) =>
      result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      })),
    )
  `);
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** Saves a full-page screenshot as `artifacts/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
