/** The popup's passkey words in pa (see ../PasskeyUi.tsx). */
import type { PasskeyWords } from './words.ts';

const words: PasskeyWords = {
  offerTitle: 'ਅਗਲੀ ਵਾਰ ਤੇਜ਼ੀ ਨਾਲ ਸਾਈਨ ਇਨ ਕਰੋ',
  offerBody: "ਪਾਸਕੀ ਵਰਤੋ: ਕੋਡ ਦੀ ਥਾਂ ਤੁਹਾਡਾ ਫਿੰਗਰਪ੍ਰਿੰਟ, ਚਿਹਰਾ ਜਾਂ ਸਕ੍ਰੀਨ ਲੌਕ। ਇਹ ਤੁਹਾਡੇ ਡਿਵਾਈਸ 'ਤੇ ਹੀ ਰਹਿੰਦੀ ਹੈ।",
  create: 'ਪਾਸਕੀ ਬਣਾਓ',
  notNow: 'ਹੁਣ ਨਹੀਂ',
  created: 'ਪਾਸਕੀ ਬਣ ਗਈ।',
  cancelled: 'ਕੋਈ ਪਾਸਕੀ ਨਹੀਂ ਬਣੀ। ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ, ਜਾਂ ਛੱਡ ਦਿਓ।',
  failed: 'ਪਾਸਕੀ ਨਹੀਂ ਬਣ ਸਕੀ। ਤੁਸੀਂ ਇਸਨੂੰ ਛੱਡ ਸਕਦੇ ਹੋ: ਤੁਹਾਡਾ ਕੋਡ ਪਹਿਲਾਂ ਹੀ ਕੰਮ ਕਰ ਗਿਆ ਹੈ।',
  signIn: 'ਪਾਸਕੀ ਨਾਲ ਸਾਈਨ ਇਨ ਕਰੋ',
  or: 'ਜਾਂ ਕੋਡ ਲਓ',
  signInFailed: 'ਉਹ ਪਾਸਕੀ ਕੰਮ ਨਹੀਂ ਕੀਤੀ। ਇਸਦੀ ਥਾਂ ਕੋਡ ਵਰਤੋ।',
};
export default words;
