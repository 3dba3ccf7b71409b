import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'puppeteer-core';
import { describe, expect, inject, it } from 'vitest';
import { checkAccessibility, openPage, screenshot, useBrowser, type TestPage } from './browser';

const baseUrl = inject('apiBaseUrl');

/** The reply ids of the queue as the page lists them, in order. */
const queueIds = (page: Page) => page.$$eval('.queue > .item', (items) => items.map((item) => item.id.replace(/^(reply|escalation)-/, '')));
const pendingCount = (page: Page) => page.$eval('nav a[href="/desk"] .count', (el) => Number(el.textContent));
const notice = (page: Page) => page.$eval('.notice', (el) => el.textContent).catch(() => null);

async function navigate(page: Page, action: () => Promise<unknown>) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
}

/** Development sign-in as the member whose button names them (e.g. "Maya Chen (editor)"). */
async function signIn(page: Page, who: string) {
  await page.goto(`${baseUrl}/desk`, { waitUntil: 'load' });
  expect(new URL(page.url()).pathname).toBe('/desk/sign-in');
  const [button] = await page.$$(`xpath/.//button[starts-with(normalize-space(.), ${JSON.stringify(who)})]`);
  expect(button, `a sign-in button for ${who}`).toBeTruthy();
  await navigate(page, () => button!.click());
  expect(new URL(page.url()).pathname).toBe('/desk');
}

async function expectAccessible(page: Page) {
  expect(await checkAccessibility(page)).toEqual([]);
}

describe('the review desk in Chromium', () => {
  const browser = useBrowser();
  let reviewer: TestPage;

  it('signs a seeded member in (development) and shows the reply queue with everything a reviewer decides by', async () => {
    reviewer = await openPage(browser(), baseUrl);
    const { page } = reviewer;
    await page.goto(`${baseUrl}/desk/sign-in`, { waitUntil: 'load' });
    await expectAccessible(page);
    await screenshot(page, 'desk-sign-in');

    await signIn(page, 'Maya Chen (editor)');
    const cookies = await browser().cookies();
    const session = cookies.find((cookie) => cookie.name === '__Host-desk_session');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });

    const ids = await queueIds(page);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(await pendingCount(page)).toBe(ids.length);
    const first = await page.$eval('.queue > .item', (item) => item.textContent ?? '');
    for (const shown of ['on ', 'followers', 'relationship', 'Detected', 'Mode', 'Composite', 'SSS', 'signature', 'prohibited claims']) {
      expect(first).toContain(shown);
    }
    await expectAccessible(page);
    await screenshot(page, 'desk-queue');
    expect(reviewer.refused).toEqual([]);
    expect(reviewer.errors).toEqual([]);
  });

  it('approves a reply, which leaves the queue', async () => {
    const { page } = reviewer;
    const [first, ...rest] = await queueIds(page);
    const before = await pendingCount(page);
    await navigate(page, () => page.click(`#reply-${first} form[data-approve] button`));
    expect(await notice(page)).toBe('Reply approved.');
    expect(await queueIds(page)).toEqual(rest);
    expect(await pendingCount(page)).toBe(before - 1);
  });

  it('rejects a reply with a reason', async () => {
    const { page } = reviewer;
    const [first, ...rest] = await queueIds(page);
    await page.click(`#reply-${first} details[data-reject] summary`);
    await page.type(`#reason-${first}`, 'Reads like a sales pitch.');
    await navigate(page, () => page.click(`#reply-${first} details[data-reject] button`));
    expect(await notice(page)).toBe('Reply rejected.');
    expect(await queueIds(page)).toEqual(rest);
  });

  it('shows a brand-rule error beside an edit, then approves the fixed text', async () => {
    const { page } = reviewer;
    const [first] = await queueIds(page);
    await page.click(`#reply-${first} details[data-edit] summary`);
    const box = `#content-${first}`;
    await page.$eval(box, (el) => ((el as HTMLTextAreaElement).value = ''));
    await page.type(box, 'Magnesium will cure your insomnia for good.');
    await navigate(page, () => page.click(`#reply-${first} details[data-edit] button`));

    // Refused: the same page, the edit still open with the text typed and what the brand kit says.
    expect(await queueIds(page)).toContain(first);
    expect(await page.$eval(box, (el) => (el as HTMLTextAreaElement).value)).toBe('Magnesium will cure your insomnia for good.');
    const errors = await page.$eval(`#reply-${first}-errors`, (el) => el.textContent ?? '');
    expect(errors).toContain('signature');
    expect(errors).toContain('"cure"');
    expect(await page.$eval(box, (el) => el.getAttribute('aria-invalid'))).toBe('true');
    await expectAccessible(page);
    await screenshot(page, 'desk-edit-refused');

    await page.$eval(box, (el) => ((el as HTMLTextAreaElement).value = ''));
    await page.type(box, 'Magnesium glycinate before bed helped many of our customers sleep. —Antone (Vita)');
    await navigate(page, () => page.click(`#reply-${first} details[data-edit] button`));
    expect(await notice(page)).toBe('Reply approved.');
    expect(await queueIds(page)).not.toContain(first);

    // Its history, from the audit trail: drafted, then edited and approved by Maya.
    await navigate(page, () => page.goto(`${baseUrl}/desk/replies/${first}`));
    const trail = await page.$eval('table.history tbody', (el) => el.innerText);
    expect(trail).toContain('Drafted the reply');
    expect(trail).toMatch(/Maya Chen\s+Edited the text\s+Approved the reply/);
    expect(trail).toContain('Magnesium glycinate before bed');
    await expectAccessible(page);
    await screenshot(page, 'desk-history');
  });

  it('works the escalation queue: assign to me, then resolve with notes', async () => {
    const { page } = reviewer;
    await navigate(page, () => page.click('nav a[href="/desk/escalations"]'));
    const [first] = await queueIds(page);
    expect(first).toBeTruthy();
    await expectAccessible(page);
    await screenshot(page, 'desk-escalations');

    await navigate(page, () => page.click(`#escalation-${first} form[action$="/assign"] button`));
    expect(await notice(page)).toBe('Escalation assigned to you.');
    expect(await page.$eval(`#escalation-${first}`, (el) => el.textContent)).toContain('assigned to you');

    const open = await page.$eval('nav a[href="/desk/escalations"] .count', (el) => Number(el.textContent));
    await page.click(`#escalation-${first} details[data-resolve] summary`);
    await page.type(`#notes-${first}`, 'Answered the customer by email.');
    await navigate(page, () => page.click(`#escalation-${first} details[data-resolve] button`));
    expect(await notice(page)).toBe('Escalation resolved.');
    expect(await queueIds(page)).not.toContain(first);
    expect(await page.$eval('nav a[href="/desk/escalations"] .count', (el) => Number(el.textContent))).toBe(open - 1);
  });

  it("answers another client's reply id in the URL with a 404 page", async () => {
    // A browser context of its own, so the other client's session does not replace the reviewer's.
    const context = await browser().createBrowserContext();
    const other = await context.newPage();
    await signIn(other, 'Cara Diaz (owner)');
    const [theirs] = await queueIds(other);
    await context.close();

    const response = await reviewer.page.goto(`${baseUrl}/desk/replies/${theirs}`, { waitUntil: 'load' });
    expect(response?.status()).toBe(404);
    expect(await reviewer.page.$eval('h1', (el) => el.textContent)).toBe('Not found');
    await expectAccessible(reviewer.page);
    await screenshot(reviewer.page, 'desk-not-found');
    // The same page for the owner of that reply is its history (the id is real).
    const owner = await browser().createBrowserContext();
    const ownPage = await owner.newPage();
    await signIn(ownPage, 'Cara Diaz (owner)');
    expect((await ownPage.goto(`${baseUrl}/desk/replies/${theirs}`, { waitUntil: 'load' }))?.status()).toBe(200);
    await owner.close();
  });

  it("refuses a viewer's approve", async () => {
    // A browser context of its own, so the viewer's session does not replace the editor's.
    const context = await browser().createBrowserContext();
    const own = await context.newPage();
    await signIn(own, 'Lee Park (viewer)');
    const [first] = await queueIds(own);
    expect(await own.$(`#reply-${first} form[data-approve]`)).toBeNull();
    expect(await own.$eval(`#reply-${first} .readonly`, (el) => el.textContent)).toContain('editor role');

    // The form a viewer's page does not offer, posted anyway with the viewer's own form token.
    const token = await own.$eval('input[name="_csrf"]', (el) => (el as HTMLInputElement).value);
    const response = await Promise.all([
      own.waitForNavigation(),
      own.evaluate(
        (id, csrf) => {
          const form = document.createElement('form');
          form.method = 'post';
          form.action = `/desk/replies/${id}/approve`;
          form.innerHTML = `<input type="hidden" name="_csrf" value="${csrf}">`;
          document.body.append(form);
          form.submit();
        },
        first!,
        token,
      ),
    ]).then(([r]) => r);
    expect(response?.status()).toBe(403);
    expect(await own.$eval('h1', (el) => el.textContent)).toBe('Not allowed');
    await own.goto(`${baseUrl}/desk`, { waitUntil: 'load' });
    expect(await queueIds(own)).toContain(first);
    await context.close();
  });

  it('sends a forged or expired session cookie back to sign-in', async () => {
    const context = await browser().createBrowserContext();
    const page = await context.newPage();
    const header = btoa(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).replace(/=+$/, '');
    const claims = (exp: number) =>
      btoa(JSON.stringify({ sub: crypto.randomUUID(), client_id: crypto.randomUUID(), role: 'owner', kind: 'user', iss: 'edge-data-api', aud: 'edge-data-api', iat: exp - 60, exp })).replace(
        /=+$/,
        '',
      );
    for (const value of [`${header}.${claims(Math.floor(Date.now() / 1000) + 600)}.forged-signature`, `${header}.${claims(1_700_000_000)}.AAAA`, 'not-a-token']) {
      await page.setCookie({ name: '__Host-desk_session', value, url: baseUrl, secure: true, httpOnly: true, sameSite: 'Strict', path: '/' });
      await page.goto(`${baseUrl}/desk`, { waitUntil: 'load' });
      expect(new URL(page.url()).pathname).toBe('/desk/sign-in');
    }
    await context.close();
  });

  it('refuses a form posted from another site', async () => {
    await reviewer.page.goto(`${baseUrl}/desk`, { waitUntil: 'load' });
    const target = (await queueIds(reviewer.page))[0]!;
    // Another origin serving a page that posts the approve form to the desk at once.
    const evil: Server = createServer((_, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><form method="post" action="${baseUrl}/desk/replies/${target}/approve"><input name="_csrf" value="guess"></form>
        <script>document.forms[0].submit()</script>`);
    });
    await new Promise<void>((ready) => evil.listen(0, '127.0.0.1', ready));
    // localhost, not 127.0.0.1: another site as the browser counts sites.
    const evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`;
    try {
      const page = await browser().newPage();
      const posted = page.waitForResponse((r) => r.url().endsWith(`/desk/replies/${target}/approve`));
      await page.goto(evilUrl);
      const response = await posted;
      await page.waitForFunction(() => location.href.includes('/desk/'));
      // Refused at the door: the Origin is another site's (and SameSite=Strict kept the cookie home).
      expect(response.status()).toBe(403);
      expect(await page.$eval('h1', (el) => el.textContent)).toBe('Not allowed');
      await page.close();
    } finally {
      evil.close();
    }
    await reviewer.page.goto(`${baseUrl}/desk`, { waitUntil: 'load' });
    expect(await queueIds(reviewer.page)).toContain(target);
  });

  it("clears a client's queue with the keyboard alone", async () => {
    const context = await browser().createBrowserContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/desk/sign-in`, { waitUntil: 'load' });
    // Tab to the owner of Northwind Coffee's button and press Enter.
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
      if (focused.startsWith('Cara Diaz (owner)')) break;
    }
    await navigate(page, () => page.keyboard.press('Enter'));
    const queue = await queueIds(page);
    expect(queue.length).toBeGreaterThan(3);
    // j/k move the focus between replies; x selects the one in focus; A approves the selected ones.
    await page.keyboard.press('j');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-index'))).toBe('1');
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.keyboard.press('k');
    await page.keyboard.press('k');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-index'))).toBe('0');
    await navigate(page, () => page.keyboard.press('A'));
    expect(await notice(page)).toBe('Selected replies approved.');
    expect(await queueIds(page)).toEqual([queue[0], ...queue.slice(3)]);
    // a approves the one in focus, until none is left.
    let remaining = queue.length - 2;
    while (remaining > 0) {
      await navigate(page, () => page.keyboard.press('a'));
      const now = (await queueIds(page)).length;
      expect(now).toBe(remaining - 1);
      remaining = now;
    }
    expect(await page.$eval('.empty', (el) => el.textContent)).toContain('The queue is clear');
    expect(await pendingCount(page)).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'desk-queue-clear');
    await context.close();
  });
});
