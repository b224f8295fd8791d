/** The delivery-report operations for the OpenAPI document. */
import { z } from 'zod';
import type { RouteGroup } from '../openapi/registry.ts';

/** The webhook provider's report body (what the route reads). */
export const webhookReportBody = z.looseObject({
  providerMessageId: z
    .string()
    .optional()
    .describe('The id your gateway answered the send with (`id` is accepted too).'),
  id: z.string().optional(),
  status: z.enum(['delivered', 'failed']),
  error: z.string().optional().describe('Why it failed (at most 300 characters kept).'),
});

/** `/api/hooks/*`. */
export const HOOK_DOCS: RouteGroup = {
  tag: 'Delivery reports',
  description:
    'Providers report delivery here. Each report is authenticated the provider’s way; an unsigned or badly signed one changes nothing.',
  prefix: '/api/hooks',
  routes: [
    {
      method: 'post',
      path: '/twilio',
      operationId: 'twilioStatusCallback',
      summary: 'Twilio status callback',
      description:
        'Twilio’s form-encoded `MessageStatus` / `CallStatus` callback, signed with `X-Twilio-Signature`. Answers 404 when Twilio is not configured.',
      security: ['twilioSignature'],
      body: z.looseObject({
        MessageSid: z.string().optional(),
        MessageStatus: z.string().optional(),
        CallSid: z.string().optional(),
        CallStatus: z.string().optional(),
        ErrorCode: z.string().optional(),
      }),
      bodyMediaTypes: ['application/x-www-form-urlencoded'],
      response: { status: 204, description: 'Recorded (or ignored for an unknown message).' },
      errors: ['NOT_FOUND', 'INVALID_SIGNATURE'],
    },
    {
      method: 'post',
      path: '/webhook',
      operationId: 'webhookDeliveryReport',
      summary: 'Webhook provider delivery report',
      description:
        'Your gateway’s report for a message it was given, signed like the sends (`X-Otpkit-Signature`). Answers 404 when the webhook provider is not configured.',
      security: ['webhookSignature'],
      body: webhookReportBody,
      response: { status: 204, description: 'Recorded (or ignored for an unknown message).' },
      errors: ['NOT_FOUND', 'INVALID_SIGNATURE', 'INVALID_REQUEST'],
    },
  ],
};
