/**
 * The widget API's error answers: JSON with the HTTP status of the code,
 * and for `getWidgetProcess` also SendOTP's own failure fields
 * (`status:"error"`, `hasError:true`, `errors:[message]`, `data:null`),
 * which the SendOTP SDKs read.
 */
import type { GetWidgetProcessResponse } from '@otpkit/protocol';
import type { ErrorHandler } from 'hono';
import { OtpkitError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/runtime.ts';
import type { AppEnv } from '../app-types.ts';
import { answerJson, answerUnexpected } from '../http/errors.ts';
import { routeOf } from '../http/observability.ts';

/** The widget API's `onError`. */
export function widgetApiErrors(log: Logger): ErrorHandler<AppEnv> {
  return (error, c) => {
    if (!(error instanceof OtpkitError)) return answerUnexpected(error, c, log);
    if (!routeOf(c).endsWith('/getWidgetProcess')) return answerJson(error, c);
    const body: GetWidgetProcessResponse & {
      type: 'error';
      message: string;
      requestId: string;
    } = {
      status: 'error',
      hasError: true,
      errors: [error.message],
      data: null,
      code: error.code,
      type: 'error',
      message: error.message,
      requestId: c.var.requestId,
    };
    return c.json(body, error.status as 400);
  };
}
