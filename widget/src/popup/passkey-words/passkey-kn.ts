/** The popup's passkey words in kn (see ../PasskeyUi.tsx). */
import type { PasskeyWords } from './words.ts';

const words: PasskeyWords = {
  offerTitle: 'ಮುಂದಿನ ಬಾರಿ ಇನ್ನಷ್ಟು ವೇಗವಾಗಿ ಸೈನ್ ಇನ್ ಮಾಡಿ',
  offerBody: 'ಪಾಸ್‌ಕೀ ಬಳಸಿ: ಕೋಡ್‌ನ ಬದಲು ನಿಮ್ಮ ಬೆರಳಚ್ಚು, ಮುಖ ಅಥವಾ ಸ್ಕ್ರೀನ್ ಲಾಕ್. ಅದು ನಿಮ್ಮ ಸಾಧನದಲ್ಲೇ ಇರುತ್ತದೆ.',
  create: 'ಪಾಸ್‌ಕೀ ರಚಿಸಿ',
  notNow: 'ಈಗ ಬೇಡ',
  created: 'ಪಾಸ್‌ಕೀ ರಚಿಸಲಾಗಿದೆ.',
  cancelled: 'ಪಾಸ್‌ಕೀ ರಚನೆಯಾಗಲಿಲ್ಲ. ಮತ್ತೆ ಪ್ರಯತ್ನಿಸಿ, ಅಥವಾ ಬಿಟ್ಟುಬಿಡಿ.',
  failed: 'ಪಾಸ್‌ಕೀ ರಚಿಸಲಾಗಲಿಲ್ಲ. ನೀವು ಬಿಟ್ಟುಬಿಡಬಹುದು: ನಿಮ್ಮ ಕೋಡ್ ಈಗಾಗಲೇ ಕೆಲಸ ಮಾಡಿದೆ.',
  signIn: 'ಪಾಸ್‌ಕೀ ಮೂಲಕ ಸೈನ್ ಇನ್ ಮಾಡಿ',
  or: 'ಅಥವಾ ಕೋಡ್ ಪಡೆಯಿರಿ',
  signInFailed: 'ಆ ಪಾಸ್‌ಕೀ ಕೆಲಸ ಮಾಡಲಿಲ್ಲ. ಬದಲಿಗೆ ಕೋಡ್ ಬಳಸಿ.',
};
export default words;
