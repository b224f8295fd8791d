/** The popup's passkey words in de (see ../PasskeyUi.tsx). */
import type { PasskeyWords } from './words.ts';

const words: PasskeyWords = {
  offerTitle: 'Beim nächsten Mal schneller anmelden',
  offerBody:
    'Nutzen Sie einen Passkey: Fingerabdruck, Gesicht oder Displaysperre statt eines Codes. Er bleibt auf Ihrem Gerät.',
  create: 'Passkey erstellen',
  notNow: 'Nicht jetzt',
  created: 'Passkey erstellt.',
  cancelled: 'Es wurde kein Passkey erstellt. Versuchen Sie es erneut oder überspringen Sie es.',
  failed:
    'Der Passkey konnte nicht erstellt werden. Sie können das überspringen: Ihr Code hat bereits funktioniert.',
  signIn: 'Mit Passkey anmelden',
  or: 'oder einen Code erhalten',
  signInFailed: 'Dieser Passkey hat nicht funktioniert. Verwenden Sie stattdessen einen Code.',
};
export default words;
