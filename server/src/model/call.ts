/** Who made an API call: recorded with every request and event. */
export interface RequestContext {
  ip: string | null;
  /** Host of the page that called (from `Origin`). */
  host: string | null;
  /**
   * Host of the top page when the widget runs in a cross-origin frame (the widget's
   * `topOrigin`, checked against the widget's settings): the SMS names both.
   */
  topHost?: string | null;
  userAgent: string | null;
  /** The caller's preferred language otpkit speaks (`Accept-Language`), if any. */
  language: string | null;
}
