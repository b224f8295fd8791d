/** The popup's passkey words in gu (see ../PasskeyUi.tsx). */
import type { PasskeyWords } from './words.ts';

const words: PasskeyWords = {
  offerTitle: 'આગલી વખતે ઝડપથી સાઇન ઇન કરો',
  offerBody:
    'પાસકીનો ઉપયોગ કરો: કોડને બદલે તમારી ફિંગરપ્રિન્ટ, ચહેરો અથવા સ્ક્રીન લૉક. તે તમારા ડિવાઇસ પર જ રહે છે.',
  create: 'પાસકી બનાવો',
  notNow: 'હમણાં નહીં',
  created: 'પાસકી બની ગઈ.',
  cancelled: 'કોઈ પાસકી બની નથી. ફરી પ્રયાસ કરો, અથવા છોડી દો.',
  failed: 'પાસકી બનાવી શકાઈ નહીં. તમે તેને છોડી શકો છો: તમારો કોડ પહેલેથી કામ કરી ગયો છે.',
  signIn: 'પાસકી વડે સાઇન ઇન કરો',
  or: 'અથવા કોડ મેળવો',
  signInFailed: 'તે પાસકી કામ ન કરી. તેના બદલે કોડનો ઉપયોગ કરો.',
};
export default words;
