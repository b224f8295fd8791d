/** The popup's passkey words in zh-CN (see ../PasskeyUi.tsx). */
import type { PasskeyWords } from './words.ts';

const words: PasskeyWords = {
  offerTitle: '下次登录更快捷',
  offerBody: '使用通行密钥：用指纹、面容或屏幕锁代替验证码。它只保存在你的设备上。',
  create: '创建通行密钥',
  notNow: '以后再说',
  created: '已创建通行密钥。',
  cancelled: '未创建通行密钥。你可以重试，或跳过。',
  failed: '无法创建通行密钥。你可以跳过：你的验证码已经生效。',
  signIn: '使用通行密钥登录',
  or: '或获取验证码',
  signInFailed: '该通行密钥无法使用。请改用验证码。',
};
export default words;
