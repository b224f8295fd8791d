/** The popup's passkey words in ar (see ../PasskeyUi.tsx). */
import type { PasskeyWords } from './words.ts';

const words: PasskeyWords = {
  offerTitle: 'سجّل الدخول أسرع في المرة القادمة',
  offerBody: 'استخدم مفتاح مرور: بصمة إصبعك أو وجهك أو قفل الشاشة بدلًا من الرمز. يبقى على جهازك.',
  create: 'إنشاء مفتاح مرور',
  notNow: 'ليس الآن',
  created: 'تم إنشاء مفتاح المرور.',
  cancelled: 'لم يُنشأ مفتاح مرور. حاول مرة أخرى، أو تخطَّ ذلك.',
  failed: 'تعذّر إنشاء مفتاح المرور. يمكنك التخطي: لقد نجح رمزك بالفعل.',
  signIn: 'تسجيل الدخول بمفتاح مرور',
  or: 'أو احصل على رمز',
  signInFailed: 'لم يعمل مفتاح المرور هذا. استخدم رمزًا بدلًا منه.',
};
export default words;
