/** The popup's passkey words in ru (see ../PasskeyUi.tsx). */
import type { PasskeyWords } from './words.ts';

const words: PasskeyWords = {
  offerTitle: 'Входите быстрее в следующий раз',
  offerBody:
    'Используйте ключ доступа: отпечаток пальца, лицо или блокировку экрана вместо кода. Он хранится на вашем устройстве.',
  create: 'Создать ключ доступа',
  notNow: 'Не сейчас',
  created: 'Ключ доступа создан.',
  cancelled: 'Ключ доступа не создан. Попробуйте ещё раз или пропустите этот шаг.',
  failed: 'Не удалось создать ключ доступа. Можно пропустить: ваш код уже сработал.',
  signIn: 'Войти с ключом доступа',
  or: 'или получить код',
  signInFailed: 'Этот ключ доступа не подошёл. Используйте код.',
};
export default words;
