import { EVENT_KINDS } from '@otpkit/protocol';
import { describe, expect, it } from 'vitest';
import {
  CALL_KIND_TEXT,
  callKindText,
  defaultRange,
  EMPTY_FILTERS,
  fileNameOf,
  filtersFromQuery,
  filtersToQuery,
  formatRate,
  formatSeconds,
  refusedQuery,
  refusedText,
  STATUS_INFO,
} from './model.ts';

describe('log filters', () => {
  it('writes only the filters that are set', () => {
    expect(filtersToQuery(EMPTY_FILTERS).toString()).toBe('');
    const q = filtersToQuery({
      ...EMPTY_FILTERS,
      identifier: ' 9876543210 ',
      channels: ['sms', 'voice'],
      resendCount: '1',
      resendOp: 'gt',
      otpVerified: 'false',
    });
    expect(Object.fromEntries(q)).toEqual({
      identifier: '9876543210',
      channel: 'sms,voice',
      resendCount: '1',
      resendOp: 'gt',
      otpVerified: 'false',
    });
  });

  it('defaults the resend comparison to equal, and ignores it without a count', () => {
    expect(filtersToQuery({ ...EMPTY_FILTERS, resendCount: '2' }).get('resendOp')).toBe('eq');
    expect(filtersToQuery({ ...EMPTY_FILTERS, resendOp: 'gt' }).has('resendOp')).toBe(false);
  });

  it('reads back what it wrote and drops unknown values', () => {
    const filters = {
      ...EMPTY_FILTERS,
      from: '2025-03-01',
      widgetId: 'w1',
      channels: ['email'],
      tokenVerified: 'true' as const,
    };
    expect(filtersFromQuery(filtersToQuery(filters))).toEqual(filters);
    expect(
      filtersFromQuery(
        new URLSearchParams('channel=fax,sms&resendOp=ge&otpVerified=yes&resendCount=x'),
      ),
    ).toEqual({ ...EMPTY_FILTERS, channels: ['sms'] });
  });
});

describe('formats', () => {
  it('labels every status with text and an icon', () => {
    for (const info of Object.values(STATUS_INFO)) {
      expect(info.label).toMatch(/^[A-Z]/);
      expect(info.icon).not.toBe('');
    }
    expect(STATUS_INFO.retry.icon).toBe('↻');
    expect(STATUS_INFO.verified.icon).toBe('✓');
  });

  it('formats rates and durations', () => {
    expect(formatRate(0.3333)).toBe('33.3%');
    expect(formatRate(null)).toBe('—');
    expect(formatSeconds(12.5)).toBe('12.5 s');
    expect(formatSeconds(150)).toBe('2 min 30 s');
    expect(formatSeconds(120)).toBe('2 min');
    expect(formatSeconds(null)).toBe('—');
  });

  it('picks the last 30 days and reads download names', () => {
    expect(defaultRange(Date.UTC(2025, 2, 31, 10))).toEqual({
      from: '2025-03-02',
      to: '2025-03-31',
    });
    expect(fileNameOf('attachment; filename="otpkit-logs-1.csv"', 'x')).toBe('otpkit-logs-1.csv');
    expect(fileNameOf(null, 'fallback.csv')).toBe('fallback.csv');
  });
});

describe('refused calls', () => {
  it('says a code in plain words, and falls back to the code read as words', () => {
    expect(refusedText('CAPTCHA_REQUIRED')).toBe('No captcha was sent');
    expect(refusedText('RATE_LIMITED')).toBe('Too many requests (rate limit)');
    expect(refusedText('SOMETHING_NEW')).toBe('Something new');
  });
  it('keeps only the date range and widget of the log filters', () => {
    const q = refusedQuery({
      ...EMPTY_FILTERS,
      from: '2025-03-01',
      to: '2025-03-31',
      widgetId: 'w1',
      identifier: '9876543210',
      otpVerified: 'true',
    });
    expect(q.toString()).toBe('from=2025-03-01&to=2025-03-31&widgetId=w1');
  });
});

describe('callKindText', () => {
  it('names every kind of call the server records, each differently', () => {
    const texts = EVENT_KINDS.map(callKindText);
    expect(texts).toEqual(EVENT_KINDS.map((k) => CALL_KIND_TEXT[k]));
    expect(new Set(texts).size).toBe(EVENT_KINDS.length);
    for (const [i, kind] of EVENT_KINDS.entries()) expect(texts[i]).not.toBe(kind);
    expect(callKindText('link-verified')).toBe('Magic link confirmed');
  });

  it("shows a kind it does not know (a newer server's) as it is", () => {
    expect(callKindText('sms-fallback')).toBe('sms-fallback');
  });
});
