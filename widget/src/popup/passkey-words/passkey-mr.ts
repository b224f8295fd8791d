/** The popup's passkey words in mr (see ../PasskeyUi.tsx). */
import type { PasskeyWords } from './words.ts';

const words: PasskeyWords = {
  offerTitle: 'पुढच्या वेळी जलद साइन इन करा',
  offerBody: 'पासकी वापरा: कोडऐवजी तुमचा फिंगरप्रिंट, चेहरा किंवा स्क्रीन लॉक. ती तुमच्या डिव्हाइसवरच राहते.',
  create: 'पासकी तयार करा',
  notNow: 'आता नाही',
  created: 'पासकी तयार झाली.',
  cancelled: 'पासकी तयार झाली नाही. पुन्हा प्रयत्न करा, किंवा वगळा.',
  failed: 'पासकी तयार करता आली नाही. तुम्ही ती वगळू शकता: तुमचा कोड आधीच काम करून गेला आहे.',
  signIn: 'पासकीने साइन इन करा',
  or: 'किंवा कोड मिळवा',
  signInFailed: 'ती पासकी चालली नाही. त्याऐवजी कोड वापरा.',
};
export default words;
