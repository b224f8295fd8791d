/** Names a browser from its user agent, for the confirmation page ("Chrome 120 on Windows"). */
import Bowser from 'bowser';

export interface AgentName {
  browser: string | null;
  os: string | null;
}

/** The browser and operating system a user agent names; `null` parts when it names none. */
export function describeAgent(userAgent: string | null): AgentName {
  if (!userAgent) return { browser: null, os: null };
  const parsed = Bowser.parse(userAgent);
  const major = parsed.browser.version?.split('.')[0];
  const browser = parsed.browser.name
    ? [parsed.browser.name, major].filter(Boolean).join(' ')
    : null;
  const os = parsed.os.name
    ? [parsed.os.name, parsed.os.versionName].filter(Boolean).join(' ')
    : null;
  return { browser, os };
}
