/** The popup's passkey words in id (see ../PasskeyUi.tsx). */
import type { PasskeyWords } from './words.ts';

const words: PasskeyWords = {
  offerTitle: 'Masuk lebih cepat lain kali',
  offerBody:
    'Gunakan kunci sandi: sidik jari, wajah, atau kunci layar Anda sebagai pengganti kode. Kunci ini tetap di perangkat Anda.',
  create: 'Buat kunci sandi',
  notNow: 'Jangan sekarang',
  created: 'Kunci sandi dibuat.',
  cancelled: 'Tidak ada kunci sandi yang dibuat. Coba lagi, atau lewati.',
  failed: 'Kunci sandi tidak dapat dibuat. Anda bisa melewatinya: kode Anda sudah berhasil.',
  signIn: 'Masuk dengan kunci sandi',
  or: 'atau dapatkan kode',
  signInFailed: 'Kunci sandi itu tidak berhasil. Gunakan kode saja.',
};
export default words;
