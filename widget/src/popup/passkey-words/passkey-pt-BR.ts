/** The popup's passkey words in pt-BR (see ../PasskeyUi.tsx). */
import type { PasskeyWords } from './words.ts';

const words: PasskeyWords = {
  offerTitle: 'Entre mais rápido da próxima vez',
  offerBody:
    'Use uma chave de acesso: sua digital, seu rosto ou o bloqueio de tela em vez de um código. Ela fica no seu dispositivo.',
  create: 'Criar uma chave de acesso',
  notNow: 'Agora não',
  created: 'Chave de acesso criada.',
  cancelled: 'Nenhuma chave de acesso foi criada. Tente de novo ou pule esta etapa.',
  failed: 'Não foi possível criar a chave de acesso. Você pode pular: seu código já funcionou.',
  signIn: 'Entrar com uma chave de acesso',
  or: 'ou receba um código',
  signInFailed: 'Essa chave de acesso não funcionou. Use um código.',
};
export default words;
