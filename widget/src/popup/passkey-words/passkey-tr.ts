/** The popup's passkey words in tr (see ../PasskeyUi.tsx). */
import type { PasskeyWords } from './words.ts';

const words: PasskeyWords = {
  offerTitle: 'Bir dahaki sefere daha hızlı giriş yapın',
  offerBody:
    'Geçiş anahtarı kullanın: kod yerine parmak iziniz, yüzünüz veya ekran kilidiniz. Cihazınızda kalır.',
  create: 'Geçiş anahtarı oluştur',
  notNow: 'Şimdi değil',
  created: 'Geçiş anahtarı oluşturuldu.',
  cancelled: 'Geçiş anahtarı oluşturulmadı. Tekrar deneyin veya bu adımı atlayın.',
  failed: 'Geçiş anahtarı oluşturulamadı. Atlayabilirsiniz: kodunuz zaten çalıştı.',
  signIn: 'Geçiş anahtarıyla giriş yap',
  or: 'veya kod alın',
  signInFailed: 'Bu geçiş anahtarı çalışmadı. Bunun yerine bir kod kullanın.',
};
export default words;
