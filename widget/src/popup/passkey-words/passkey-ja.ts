/** The popup's passkey words in ja (see ../PasskeyUi.tsx). */
import type { PasskeyWords } from './words.ts';

const words: PasskeyWords = {
  offerTitle: '次回はもっと早くサインイン',
  offerBody:
    'パスキーを使いましょう：コードの代わりに指紋、顔、または画面ロックで。パスキーはお使いのデバイスに保存されます。',
  create: 'パスキーを作成',
  notNow: '今はしない',
  created: 'パスキーを作成しました。',
  cancelled: 'パスキーは作成されませんでした。もう一度試すか、スキップしてください。',
  failed: 'パスキーを作成できませんでした。スキップできます：コードはすでに確認されています。',
  signIn: 'パスキーでサインイン',
  or: 'またはコードを受け取る',
  signInFailed: 'そのパスキーは使えませんでした。代わりにコードを使ってください。',
};
export default words;
