/**
 * `GET /verify/:token` shows the confirmation page (and verifies nothing);
 * `POST /verify/:token` confirms, from that page's form only, then
 * redirects to the widget's own `redirectUrl` or shows the done page.
 */
import { type Context, Hono } from 'hono';
import { VERIFY_PATH } from '../../core/magic-links/links.ts';
import { confirmPage, donePage, pageCsp, problemPage } from '../../core/magic-links/page.ts';
import {
  confirmLink,
  type LinkProblem,
  type OpenLink,
  openLink,
} from '../../core/magic-links/service.ts';
import { OtpkitError } from '../../platform/errors.ts';
import type { AppEnv, Services } from '../app-types.ts';
import { requestContext } from '../http/context.ts';
import { jsonErrors } from '../http/errors.ts';

const PROBLEM_STATUS: Record<LinkProblem, 404 | 410> = {
  invalid: 404,
  used: 410,
  expired: 410,
  replaced: 410,
  ended: 410,
};

function page(
  c: Context<AppEnv>,
  html: string,
  status: 200 | 400 | 403 | 404 | 410,
  formTargets: string[] = [],
) {
  c.header('Content-Security-Policy', pageCsp(formTargets));
  c.header('Cache-Control', 'no-store');
  // The form's Origin header must survive (no-referrer would make it "null"), and the link never leaks elsewhere.
  c.header('Referrer-Policy', 'same-origin');
  c.header('X-Frame-Options', 'DENY');
  c.header('X-Robots-Tag', 'noindex');
  return c.html(html, status);
}

/** The magic-link pages, mounted at `/verify`. */
export function magicLinkRoutes(services: Services): Hono<AppEnv> {
  const { config } = services;
  const ownOrigin = new URL(config.publicUrl).origin;
  const app = new Hono<AppEnv>();

  /** The confirmation page of an open link (again, with a hint, when the number was not typed). */
  const showConfirm = (c: Context<AppEnv>, found: OpenLink, options: { retype?: boolean } = {}) => {
    const { request, widget, csrf } = found;
    const redirect = widget.settings.redirectUrl;
    return page(
      c,
      confirmPage({
        language: request.language,
        widgetName: widget.settings.name,
        host: request.host,
        identifier: request.identifier,
        userAgent: request.userAgent,
        ip: request.ip,
        requestedAgoMs: services.clock.now() - request.createdAt,
        action: `${VERIFY_PATH}${c.req.param('token')}`,
        csrf,
        asksNumber: request.matchNumber !== null,
        ...(options.retype ? { retype: true } : {}),
      }),
      options.retype ? 400 : 200,
      // Browsers apply form-action to the redirect that follows the post.
      redirect ? [new URL(redirect).origin] : [],
    );
  };

  app.get('/:token', async (c) => {
    const context = requestContext(c, config);
    const found = await openLink(services.otp, { token: c.req.param('token'), context });
    if (!found.ok) {
      const language = found.request?.language ?? context.language ?? 'en';
      return page(c, problemPage(language, found.problem), PROBLEM_STATUS[found.problem]);
    }
    return showConfirm(c, found);
  });

  app.post('/:token', async (c) => {
    const context = requestContext(c, config);
    const language = context.language ?? 'en';
    // Only this server's own page may post: a cross-site form is refused before anything else.
    const origin = c.req.header('origin');
    const fetchSite = c.req.header('sec-fetch-site');
    if ((origin && origin !== ownOrigin) || (fetchSite && fetchSite !== 'same-origin')) {
      return page(c, problemPage(language, 'forbidden'), 403);
    }
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const result = await confirmLink(services.otp, {
      token: c.req.param('token'),
      csrf: typeof form.csrf === 'string' ? form.csrf : undefined,
      match: typeof form.match === 'string' ? form.match : undefined,
      context,
    });
    if (!result.ok && 'retype' in result) return showConfirm(c, result, { retype: true });
    if (!result.ok) {
      return page(
        c,
        problemPage(result.request?.language ?? language, result.problem),
        PROBLEM_STATUS[result.problem],
      );
    }
    if (result.redirectTo) {
      c.header('Referrer-Policy', 'same-origin');
      c.header('Cache-Control', 'no-store');
      return c.redirect(result.redirectTo, 303);
    }
    const site = result.request.host ?? result.widget.settings.name;
    return page(c, donePage(result.request.language, site), 200);
  });

  // A confirmation form that is not this page's own (no or a wrong CSRF token) is forbidden,
  // as a page; anything else is answered as on the JSON surfaces.
  const otherErrors = jsonErrors(services.log);
  app.onError((error, c) => {
    if (
      c.req.method === 'POST' &&
      error instanceof OtpkitError &&
      error.code === 'INVALID_REQUEST'
    ) {
      const language = requestContext(c, config).language ?? 'en';
      return page(c, problemPage(language, 'forbidden'), 403);
    }
    return otherErrors(error, c);
  });
  return app;
}
