/** The popup's passkey words in es (see ../PasskeyUi.tsx). */
import type { PasskeyWords } from './words.ts';

const words: PasskeyWords = {
  offerTitle: 'Inicia sesión más rápido la próxima vez',
  offerBody:
    'Usa una llave de acceso: tu huella, tu cara o el bloqueo de pantalla en lugar de un código. Se queda en tu dispositivo.',
  create: 'Crear una llave de acceso',
  notNow: 'Ahora no',
  created: 'Llave de acceso creada.',
  cancelled: 'No se creó ninguna llave de acceso. Puedes intentarlo de nuevo u omitirlo.',
  failed: 'No se pudo crear la llave de acceso. Puedes omitirlo: tu código ya funcionó.',
  signIn: 'Iniciar sesión con una llave de acceso',
  or: 'o recibe un código',
  signInFailed: 'Esa llave de acceso no funcionó. Usa un código en su lugar.',
};
export default words;
