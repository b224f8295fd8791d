/** The popup's passkey words in ur (see ../PasskeyUi.tsx). */
import type { PasskeyWords } from './words.ts';

const words: PasskeyWords = {
  offerTitle: 'اگلی بار جلدی سائن ان کریں',
  offerBody:
    'پاس کی استعمال کریں: کوڈ کے بجائے آپ کا فنگر پرنٹ، چہرہ یا اسکرین لاک۔ یہ آپ کے آلے پر ہی رہتی ہے۔',
  create: 'پاس کی بنائیں',
  notNow: 'ابھی نہیں',
  created: 'پاس کی بن گئی۔',
  cancelled: 'کوئی پاس کی نہیں بنی۔ دوبارہ کوشش کریں، یا اسے چھوڑ دیں۔',
  failed: 'پاس کی نہیں بن سکی۔ آپ اسے چھوڑ سکتے ہیں: آپ کا کوڈ پہلے ہی کام کر چکا ہے۔',
  signIn: 'پاس کی سے سائن ان کریں',
  or: 'یا کوڈ حاصل کریں',
  signInFailed: 'وہ پاس کی کام نہیں آئی۔ اس کے بجائے کوڈ استعمال کریں۔',
};
export default words;
