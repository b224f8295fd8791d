/**
 * The popup in the visitor's language, as a new user meets it: the demo
 * site opened in a browser set to Tamil, then Arabic (context `locale`,
 * which sets `navigator.languages` and Accept-Language), logging in with a
 * phone number. Each step is scanned with axe and saved as a screenshot
 * (test-results/languages/), and the SMS arrives in the same language.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { axeViolations } from '../support/axe.ts';
import { expect, test } from '../support/fixtures.ts';
import { codeOf, uniqueMobile, waitForMessages } from '../support/otpkit.ts';

interface Case {
  locale: string;
  lang: string;
  dir: 'ltr' | 'rtl';
  titles: { identifier: string; code: string; done: string };
  send: string;
  /** Words of the SMS in that language. */
  sms: string;
}

const CASES: Case[] = [
  {
    locale: 'ta-IN',
    lang: 'ta',
    dir: 'ltr',
    titles: {
      identifier: 'உங்கள் தொலைபேசி எண்ணைச் சரிபார்க்கவும்',
      code: 'உங்கள் தொலைபேசியைப் பாருங்கள்',
      done: 'சரிபார்க்கப்பட்டது',
    },
    send: 'குறியீட்டை அனுப்பு',
    sms: 'சரிபார்ப்புக் குறியீடு',
  },
  {
    locale: 'ar-EG',
    lang: 'ar',
    dir: 'rtl',
    titles: { identifier: 'تحقّق من رقم هاتفك', code: 'تفقّد هاتفك', done: 'تم التحقق' },
    send: 'إرسال الرمز',
    sms: 'رمز التحقق',
  },
];

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(test.info().project.outputDir, 'languages', `${name}.png`) });

for (const c of CASES) {
  test.describe(`the demo site in a browser set to ${c.locale}`, () => {
    test.use({ locale: c.locale });

    test(`logs in with a popup and an SMS in ${c.lang}`, async ({ page, system }, testInfo) => {
      await page.goto(system.demoUrl);
      await page.getByRole('button', { name: 'Log in with phone or email' }).click();
      const host = page.locator('#otpkit-widget-host');
      const dialog = host.getByRole('dialog');
      await expect(dialog).toHaveAccessibleName(c.titles.identifier);
      await expect(dialog).toHaveAttribute('lang', c.lang);
      await expect(dialog).toHaveAttribute('dir', c.dir);
      const field = host.locator('#otpkit-identifier');
      await expect(field).toBeVisible();
      expect(await axeViolations(page, 'otpkit-widget-host')).toEqual([]);
      await shot(page, `${c.lang}-1-identifier`);

      // Mirrored in Arabic: the close button at the start (left), the text from the right; the
      // dial code and the number stay left to right, the dial code first.
      const dialogBox = (await dialog.boundingBox())!;
      const closeBox = (await dialog.locator('button.x').boundingBox())!;
      const closeOnLeft = closeBox.x + closeBox.width / 2 < dialogBox.x + dialogBox.width / 2;
      expect(closeOnLeft).toBe(c.dir === 'rtl');
      const countryBox = (await dialog.locator('button.cy').boundingBox())!;
      expect(countryBox.x).toBeLessThan((await field.boundingBox())!.x);
      await expect(field).toHaveCSS('direction', 'ltr');

      const mobile = uniqueMobile(testInfo.workerIndex);
      await field.pressSequentially(mobile.national);
      await dialog.getByRole('button', { name: c.send }).click();
      const code = host.locator('#otpkit-code');
      await expect(code).toBeVisible();
      await expect(dialog).toHaveAccessibleName(c.titles.code);
      await expect(code).toHaveCSS('direction', 'ltr');
      // The number the code went to reads left to right inside the sentence, dial code first.
      const sentTo = dialog.locator('p.m strong');
      await expect(sentTo).toHaveAttribute('dir', 'ltr');
      const [plusX, lastX] = await sentTo.evaluate((el) => {
        const text = el.firstChild as Text;
        const x = (i: number) => {
          const range = document.createRange();
          range.setStart(text, i);
          range.setEnd(text, i + 1);
          return range.getBoundingClientRect().x;
        };
        return [x(0), x(text.length - 1)];
      });
      expect(plusX).toBeLessThan(lastX);
      expect(await axeViolations(page, 'otpkit-widget-host')).toEqual([]);

      const [sms] = await waitForMessages(mobile.full);
      expect(sms!.text).toContain(c.sms);
      await shot(page, `${c.lang}-2-code`);

      // A wrong code first: the error in the language, announced, still no axe violations.
      const right = codeOf(sms!);
      await code.fill([...right].map((d) => String((Number(d) + 1) % 10)).join(''));
      await expect(host.locator('#otpkit-code-error')).not.toBeEmpty();
      expect(await axeViolations(page, 'otpkit-widget-host')).toEqual([]);
      await shot(page, `${c.lang}-3-wrong-code`);

      // The demo widget offers a passkey after a code (its words are English outside en/hi);
      // either way the popup closes and the demo backend accepts the token.
      await code.fill(right);
      const offer = dialog.getByRole('button', { name: 'Not now' });
      await expect(dialog.getByText(c.titles.done).or(offer)).toBeVisible();
      if (await offer.isVisible()) await offer.click();
      await expect(host).toHaveCount(0);
      await expect(page.locator('#result')).toHaveText(`Verified: ${mobile.full}`);
    });
  });
}
