/**
 * The other way to point `msg91@2.2.8` at otpkit, for a backend that cannot
 * set HTTPS_PROXY: an axios request interceptor on the package's own axios
 * instance rewrites the `https://api.msg91.com` origin. The package itself
 * is unmodified.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AUTHKEY, type Otpkit, startOtpkit } from '../support/otpkit.ts';

interface Otp {
  send(mobile: string, options?: { expiry?: number }): Promise<unknown>;
  verify(mobile: string, otp: string): Promise<unknown>;
}
interface Interceptors {
  request: {
    use(change: (config: { url?: string }) => { url?: string }): number;
    eject(id: number): void;
  };
}

const require = createRequire(import.meta.url);
let otpkit: Otpkit;
let interceptor: number;
const msg91Axios = (require('msg91/dist/axios') as { default: { interceptors: Interceptors } })
  .default;

beforeAll(async () => {
  otpkit = await startOtpkit();
  delete process.env.HTTPS_PROXY;
  delete process.env.https_proxy;
  interceptor = msg91Axios.interceptors.request.use((config) => {
    config.url = config.url?.replace('https://api.msg91.com', otpkit.url);
    return config;
  });
});
afterAll(async () => {
  msg91Axios.interceptors.request.eject(interceptor);
  await otpkit.close();
});

it('sends and verifies through an axios interceptor', async () => {
  const msg91 = (
    require('msg91') as {
      default: { initialize(o: { authKey: string }): void; getOTP(t: string): Otp };
    }
  ).default;
  msg91.initialize({ authKey: AUTHKEY });
  const otp = msg91.getOTP('');
  const mobile = '919812300021';
  await otp.send(mobile);
  const code = await otpkit.lastCode(mobile);
  expect(code).toMatch(/^\d{4}$/); // the package's default otp_length
  await expect(otp.verify(mobile, code === '0000' ? '1111' : '0000')).rejects.toEqual({
    message: 'OTP not match',
  });
  await expect(otp.verify(mobile, code)).resolves.toEqual({ message: 'OTP verified success' });
});
