/** The messages between the runner and the load-generator process. */

export type CannonScenario =
  | 'ceiling'
  | 'getWidgetProcess'
  | 'sendOtpMobile'
  | 'verifyOtp'
  | 'peerSend';

export type Job =
  | { kind: 'status' }
  | {
      kind: 'autocannon';
      scenario: CannonScenario;
      url: string;
      connections: number;
      seconds: number;
      /**
       * Requests per second in all, evenly spaced (an open loop, for the half-load latency; not
       * autocannon's `overallRate`, which bursts); none = autocannon as fast as it goes.
       */
      rate?: number;
      widgetId?: string;
      tokenAuth?: string;
      /** sendOtpMobile: keep the delivered codes for the verifyOtp scenario. */
      collect?: boolean;
      /** verifyOtp: how many pending requests to verify (default all collected). */
      amount?: number;
    }
  | {
      kind: 'flow';
      /** otpkit's flow, the peer's, or the floor's (three bare requests and one outbound POST). */
      target: 'otpkit' | 'peer' | 'floor';
      url: string;
      /** More servers sharing the load with `url`: each request goes to the next one (round robin). */
      more?: string[];
      concurrency: number;
      seconds: number;
      widgetId?: string;
      tokenAuth?: string;
      authkey?: string;
    };

export interface JobResult {
  scenario: string;
  /** Requests (or complete flows) that succeeded or were measured. */
  requests: number;
  perSecond: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  failures: number;
  seconds: number;
  /** Requests of the unmeasured warm-up before a paced phase. */
  warmup?: number;
  /** Pending otpkit requests with known codes left in the load generator. */
  pending: number;
  error?: string;
}
