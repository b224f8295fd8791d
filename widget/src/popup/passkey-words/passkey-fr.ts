/** The popup's passkey words in fr (see ../PasskeyUi.tsx). */
import type { PasskeyWords } from './words.ts';

const words: PasskeyWords = {
  offerTitle: 'Connectez-vous plus vite la prochaine fois',
  offerBody:
    'Utilisez une clé d’accès : votre empreinte, votre visage ou le verrouillage de l’écran au lieu d’un code. Elle reste sur votre appareil.',
  create: 'Créer une clé d’accès',
  notNow: 'Pas maintenant',
  created: 'Clé d’accès créée.',
  cancelled: 'Aucune clé d’accès n’a été créée. Réessayez, ou passez cette étape.',
  failed:
    'La clé d’accès n’a pas pu être créée. Vous pouvez passer : votre code a déjà fonctionné.',
  signIn: 'Se connecter avec une clé d’accès',
  or: 'ou recevoir un code',
  signInFailed: 'Cette clé d’accès n’a pas fonctionné. Utilisez plutôt un code.',
};
export default words;
