/**
 * The sentences the built-in templates are made of, per language beyond
 * English and Hindi (whose templates `defaults.ts` spells out in full).
 * `##OTP##`, `##WIDGET##`, `##EXPIRY##` are filled when a message is
 * rendered; `##LINK##` is placed by `defaults.ts`. Written in the product's
 * plain tone: what the code is, how long it lasts, not to share it.
 */
import type { Language } from '@otpkit/protocol';

export interface Phrases {
  /** "##OTP## is your ##WIDGET## verification code." */
  code: string;
  /** "It expires in ##EXPIRY## minutes." */
  expires: string;
  /** "Do not share it with anyone." */
  share: string;
  /** A voice call: the code said twice ("Your … code is ##OTP##. Again, your code is ##OTP##."). */
  voice: string;
  /** Email subject: "Your ##WIDGET## verification code". */
  subject: string;
  /** Email lead before the code: "Your ##WIDGET## verification code is:". */
  lead: string;
  /** "If you did not ask for this code, you can ignore this email." */
  ignore: string;
  /** Magic link: "Open this link to sign in to ##WIDGET##:". */
  linkOpen: string;
  /** Magic link email subject: "Your ##WIDGET## sign-in link". */
  linkSubject: string;
  /** Magic link email lead: "Use this link to sign in to ##WIDGET##:". */
  linkLead: string;
  /** The button: "Sign in". */
  linkButton: string;
  /** "It expires in ##EXPIRY## minutes and works once. Do not forward this email." */
  linkExpires: string;
  /** "If you did not ask for this link, you can ignore this email." */
  linkIgnore: string;
}

export const PHRASES: Readonly<Record<Exclude<Language, 'en' | 'hi'>, Phrases>> = {
  bn: {
    code: '##OTP## হলো আপনার ##WIDGET## যাচাইকরণ কোড।',
    expires: 'এর মেয়াদ ##EXPIRY## মিনিট।',
    share: 'কারও সাথে এটি শেয়ার করবেন না।',
    voice: 'আপনার ##WIDGET## যাচাইকরণ কোড হলো ##OTP##। আবার বলছি, আপনার কোড ##OTP##।',
    subject: 'আপনার ##WIDGET## যাচাইকরণ কোড',
    lead: 'আপনার ##WIDGET## যাচাইকরণ কোড:',
    ignore: 'আপনি এই কোড না চেয়ে থাকলে এই ইমেলটি উপেক্ষা করুন।',
    linkOpen: '##WIDGET##-এ সাইন ইন করতে এই লিংকটি খুলুন:',
    linkSubject: 'আপনার ##WIDGET## সাইন-ইন লিংক',
    linkLead: '##WIDGET##-এ সাইন ইন করতে এই লিংকটি ব্যবহার করুন:',
    linkButton: 'সাইন ইন করুন',
    linkExpires: 'এর মেয়াদ ##EXPIRY## মিনিট এবং এটি একবারই কাজ করে। এই ইমেলটি কাউকে ফরওয়ার্ড করবেন না।',
    linkIgnore: 'আপনি এই লিংক না চেয়ে থাকলে এই ইমেলটি উপেক্ষা করুন।',
  },
  te: {
    code: '##OTP## మీ ##WIDGET## ధృవీకరణ కోడ్.',
    expires: 'ఇది ##EXPIRY## నిమిషాల్లో గడువు ముగుస్తుంది.',
    share: 'దీన్ని ఎవరితోనూ పంచుకోవద్దు.',
    voice: 'మీ ##WIDGET## ధృవీకరణ కోడ్ ##OTP##. మళ్ళీ, మీ కోడ్ ##OTP##.',
    subject: 'మీ ##WIDGET## ధృవీకరణ కోడ్',
    lead: 'మీ ##WIDGET## ధృవీకరణ కోడ్:',
    ignore: 'మీరు ఈ కోడ్ అడగకపోతే, ఈ ఇమెయిల్‌ను పట్టించుకోకండి.',
    linkOpen: '##WIDGET##లో సైన్ ఇన్ చేయడానికి ఈ లింక్‌ను తెరవండి:',
    linkSubject: 'మీ ##WIDGET## సైన్-ఇన్ లింక్',
    linkLead: '##WIDGET##లో సైన్ ఇన్ చేయడానికి ఈ లింక్‌ను ఉపయోగించండి:',
    linkButton: 'సైన్ ఇన్ చేయండి',
    linkExpires:
      'ఇది ##EXPIRY## నిమిషాల్లో గడువు ముగుస్తుంది, ఒక్కసారే పని చేస్తుంది. ఈ ఇమెయిల్‌ను ఎవరికీ ఫార్వర్డ్ చేయవద్దు.',
    linkIgnore: 'మీరు ఈ లింక్ అడగకపోతే, ఈ ఇమెయిల్‌ను పట్టించుకోకండి.',
  },
  mr: {
    code: '##OTP## हा तुमचा ##WIDGET## पडताळणी कोड आहे.',
    expires: 'तो ##EXPIRY## मिनिटांत कालबाह्य होईल.',
    share: 'तो कोणालाही सांगू नका.',
    voice: 'तुमचा ##WIDGET## पडताळणी कोड आहे ##OTP##. पुन्हा, तुमचा कोड आहे ##OTP##.',
    subject: 'तुमचा ##WIDGET## पडताळणी कोड',
    lead: 'तुमचा ##WIDGET## पडताळणी कोड:',
    ignore: 'तुम्ही हा कोड मागितला नसेल, तर या ईमेलकडे दुर्लक्ष करा.',
    linkOpen: '##WIDGET## मध्ये साइन इन करण्यासाठी ही लिंक उघडा:',
    linkSubject: 'तुमची ##WIDGET## साइन-इन लिंक',
    linkLead: '##WIDGET## मध्ये साइन इन करण्यासाठी ही लिंक वापरा:',
    linkButton: 'साइन इन करा',
    linkExpires: 'ती ##EXPIRY## मिनिटांत कालबाह्य होईल आणि एकदाच चालेल. हा ईमेल कोणालाही पुढे पाठवू नका.',
    linkIgnore: 'तुम्ही ही लिंक मागितली नसेल, तर या ईमेलकडे दुर्लक्ष करा.',
  },
  ta: {
    code: '##OTP## என்பது உங்கள் ##WIDGET## சரிபார்ப்புக் குறியீடு.',
    expires: 'இது ##EXPIRY## நிமிடங்களில் காலாவதியாகும்.',
    share: 'இதை யாருடனும் பகிர வேண்டாம்.',
    voice: 'உங்கள் ##WIDGET## சரிபார்ப்புக் குறியீடு ##OTP##. மீண்டும், உங்கள் குறியீடு ##OTP##.',
    subject: 'உங்கள் ##WIDGET## சரிபார்ப்புக் குறியீடு',
    lead: 'உங்கள் ##WIDGET## சரிபார்ப்புக் குறியீடு:',
    ignore: 'இந்தக் குறியீட்டை நீங்கள் கேட்கவில்லை என்றால், இந்த மின்னஞ்சலைப் புறக்கணிக்கலாம்.',
    linkOpen: '##WIDGET## இல் உள்நுழைய இந்த இணைப்பைத் திறக்கவும்:',
    linkSubject: 'உங்கள் ##WIDGET## உள்நுழைவு இணைப்பு',
    linkLead: '##WIDGET## இல் உள்நுழைய இந்த இணைப்பைப் பயன்படுத்தவும்:',
    linkButton: 'உள்நுழை',
    linkExpires:
      'இது ##EXPIRY## நிமிடங்களில் காலாவதியாகும், ஒரு முறை மட்டுமே வேலை செய்யும். இந்த மின்னஞ்சலை யாருக்கும் அனுப்ப வேண்டாம்.',
    linkIgnore: 'இந்த இணைப்பை நீங்கள் கேட்கவில்லை என்றால், இந்த மின்னஞ்சலைப் புறக்கணிக்கலாம்.',
  },
  gu: {
    code: '##OTP## તમારો ##WIDGET## ચકાસણી કોડ છે.',
    expires: 'તેની મુદત ##EXPIRY## મિનિટમાં પૂરી થશે.',
    share: 'તે કોઈની સાથે શેર કરશો નહીં.',
    voice: 'તમારો ##WIDGET## ચકાસણી કોડ છે ##OTP##. ફરીથી, તમારો કોડ છે ##OTP##.',
    subject: 'તમારો ##WIDGET## ચકાસણી કોડ',
    lead: 'તમારો ##WIDGET## ચકાસણી કોડ:',
    ignore: 'જો તમે આ કોડ માંગ્યો ન હોય, તો આ ઇમેઇલને અવગણો.',
    linkOpen: '##WIDGET##માં સાઇન ઇન કરવા આ લિંક ખોલો:',
    linkSubject: 'તમારી ##WIDGET## સાઇન-ઇન લિંક',
    linkLead: '##WIDGET##માં સાઇન ઇન કરવા આ લિંકનો ઉપયોગ કરો:',
    linkButton: 'સાઇન ઇન કરો',
    linkExpires:
      'તેની મુદત ##EXPIRY## મિનિટમાં પૂરી થશે અને તે એક જ વાર ચાલશે. આ ઇમેઇલ કોઈને ફોરવર્ડ કરશો નહીં.',
    linkIgnore: 'જો તમે આ લિંક માંગી ન હોય, તો આ ઇમેઇલને અવગણો.',
  },
  kn: {
    code: '##OTP## ನಿಮ್ಮ ##WIDGET## ಪರಿಶೀಲನಾ ಕೋಡ್.',
    expires: 'ಇದರ ಅವಧಿ ##EXPIRY## ನಿಮಿಷಗಳಲ್ಲಿ ಮುಗಿಯುತ್ತದೆ.',
    share: 'ಇದನ್ನು ಯಾರೊಂದಿಗೂ ಹಂಚಿಕೊಳ್ಳಬೇಡಿ.',
    voice: 'ನಿಮ್ಮ ##WIDGET## ಪರಿಶೀಲನಾ ಕೋಡ್ ##OTP##. ಮತ್ತೊಮ್ಮೆ, ನಿಮ್ಮ ಕೋಡ್ ##OTP##.',
    subject: 'ನಿಮ್ಮ ##WIDGET## ಪರಿಶೀಲನಾ ಕೋಡ್',
    lead: 'ನಿಮ್ಮ ##WIDGET## ಪರಿಶೀಲನಾ ಕೋಡ್:',
    ignore: 'ನೀವು ಈ ಕೋಡ್ ಕೇಳದಿದ್ದರೆ, ಈ ಇಮೇಲ್ ಅನ್ನು ನಿರ್ಲಕ್ಷಿಸಿ.',
    linkOpen: '##WIDGET## ಗೆ ಸೈನ್ ಇನ್ ಮಾಡಲು ಈ ಲಿಂಕ್ ತೆರೆಯಿರಿ:',
    linkSubject: 'ನಿಮ್ಮ ##WIDGET## ಸೈನ್-ಇನ್ ಲಿಂಕ್',
    linkLead: '##WIDGET## ಗೆ ಸೈನ್ ಇನ್ ಮಾಡಲು ಈ ಲಿಂಕ್ ಬಳಸಿ:',
    linkButton: 'ಸೈನ್ ಇನ್ ಮಾಡಿ',
    linkExpires:
      'ಇದರ ಅವಧಿ ##EXPIRY## ನಿಮಿಷಗಳಲ್ಲಿ ಮುಗಿಯುತ್ತದೆ ಮತ್ತು ಒಮ್ಮೆ ಮಾತ್ರ ಕೆಲಸ ಮಾಡುತ್ತದೆ. ಈ ಇಮೇಲ್ ಅನ್ನು ಯಾರಿಗೂ ಫಾರ್ವರ್ಡ್ ಮಾಡಬೇಡಿ.',
    linkIgnore: 'ನೀವು ಈ ಲಿಂಕ್ ಕೇಳದಿದ್ದರೆ, ಈ ಇಮೇಲ್ ಅನ್ನು ನಿರ್ಲಕ್ಷಿಸಿ.',
  },
  ml: {
    code: '##OTP## ആണ് നിങ്ങളുടെ ##WIDGET## സ്ഥിരീകരണ കോഡ്.',
    expires: 'ഇത് ##EXPIRY## മിനിറ്റിനുള്ളിൽ കാലഹരണപ്പെടും.',
    share: 'ഇത് ആരുമായും പങ്കിടരുത്.',
    voice: 'നിങ്ങളുടെ ##WIDGET## സ്ഥിരീകരണ കോഡ് ##OTP## ആണ്. വീണ്ടും, നിങ്ങളുടെ കോഡ് ##OTP##.',
    subject: 'നിങ്ങളുടെ ##WIDGET## സ്ഥിരീകരണ കോഡ്',
    lead: 'നിങ്ങളുടെ ##WIDGET## സ്ഥിരീകരണ കോഡ്:',
    ignore: 'നിങ്ങൾ ഈ കോഡ് ആവശ്യപ്പെട്ടില്ലെങ്കിൽ, ഈ ഇമെയിൽ അവഗണിക്കാം.',
    linkOpen: '##WIDGET## ൽ സൈൻ ഇൻ ചെയ്യാൻ ഈ ലിങ്ക് തുറക്കുക:',
    linkSubject: 'നിങ്ങളുടെ ##WIDGET## സൈൻ-ഇൻ ലിങ്ക്',
    linkLead: '##WIDGET## ൽ സൈൻ ഇൻ ചെയ്യാൻ ഈ ലിങ്ക് ഉപയോഗിക്കുക:',
    linkButton: 'സൈൻ ഇൻ ചെയ്യുക',
    linkExpires:
      'ഇത് ##EXPIRY## മിനിറ്റിനുള്ളിൽ കാലഹരണപ്പെടും, ഒരു തവണ മാത്രം പ്രവർത്തിക്കും. ഈ ഇമെയിൽ ആർക്കും ഫോർവേഡ് ചെയ്യരുത്.',
    linkIgnore: 'നിങ്ങൾ ഈ ലിങ്ക് ആവശ്യപ്പെട്ടില്ലെങ്കിൽ, ഈ ഇമെയിൽ അവഗണിക്കാം.',
  },
  pa: {
    code: '##OTP## ਤੁਹਾਡਾ ##WIDGET## ਪੁਸ਼ਟੀ ਕੋਡ ਹੈ।',
    expires: 'ਇਸਦੀ ਮਿਆਦ ##EXPIRY## ਮਿੰਟਾਂ ਵਿੱਚ ਖ਼ਤਮ ਹੋ ਜਾਵੇਗੀ।',
    share: 'ਇਸਨੂੰ ਕਿਸੇ ਨਾਲ ਸਾਂਝਾ ਨਾ ਕਰੋ।',
    voice: 'ਤੁਹਾਡਾ ##WIDGET## ਪੁਸ਼ਟੀ ਕੋਡ ਹੈ ##OTP##। ਦੁਬਾਰਾ, ਤੁਹਾਡਾ ਕੋਡ ਹੈ ##OTP##।',
    subject: 'ਤੁਹਾਡਾ ##WIDGET## ਪੁਸ਼ਟੀ ਕੋਡ',
    lead: 'ਤੁਹਾਡਾ ##WIDGET## ਪੁਸ਼ਟੀ ਕੋਡ:',
    ignore: 'ਜੇ ਤੁਸੀਂ ਇਹ ਕੋਡ ਨਹੀਂ ਮੰਗਿਆ, ਤਾਂ ਇਸ ਈਮੇਲ ਨੂੰ ਅਣਡਿੱਠਾ ਕਰੋ।',
    linkOpen: '##WIDGET## ਵਿੱਚ ਸਾਈਨ ਇਨ ਕਰਨ ਲਈ ਇਹ ਲਿੰਕ ਖੋਲ੍ਹੋ:',
    linkSubject: 'ਤੁਹਾਡਾ ##WIDGET## ਸਾਈਨ-ਇਨ ਲਿੰਕ',
    linkLead: '##WIDGET## ਵਿੱਚ ਸਾਈਨ ਇਨ ਕਰਨ ਲਈ ਇਹ ਲਿੰਕ ਵਰਤੋ:',
    linkButton: 'ਸਾਈਨ ਇਨ ਕਰੋ',
    linkExpires:
      'ਇਸਦੀ ਮਿਆਦ ##EXPIRY## ਮਿੰਟਾਂ ਵਿੱਚ ਖ਼ਤਮ ਹੋਵੇਗੀ ਅਤੇ ਇਹ ਇੱਕ ਵਾਰ ਹੀ ਚੱਲੇਗਾ। ਇਹ ਈਮੇਲ ਕਿਸੇ ਨੂੰ ਅੱਗੇ ਨਾ ਭੇਜੋ।',
    linkIgnore: 'ਜੇ ਤੁਸੀਂ ਇਹ ਲਿੰਕ ਨਹੀਂ ਮੰਗਿਆ, ਤਾਂ ਇਸ ਈਮੇਲ ਨੂੰ ਅਣਡਿੱਠਾ ਕਰੋ।',
  },
  ur: {
    code: '##OTP## آپ کا ##WIDGET## تصدیقی کوڈ ہے۔',
    expires: 'اس کی میعاد ##EXPIRY## منٹ میں ختم ہو جائے گی۔',
    share: 'اسے کسی کے ساتھ شیئر نہ کریں۔',
    voice: 'آپ کا ##WIDGET## تصدیقی کوڈ ہے ##OTP##۔ دوبارہ، آپ کا کوڈ ہے ##OTP##۔',
    subject: 'آپ کا ##WIDGET## تصدیقی کوڈ',
    lead: 'آپ کا ##WIDGET## تصدیقی کوڈ:',
    ignore: 'اگر آپ نے یہ کوڈ نہیں مانگا تو اس ای میل کو نظر انداز کر دیں۔',
    linkOpen: '##WIDGET## میں سائن اِن کرنے کے لیے یہ لنک کھولیں:',
    linkSubject: 'آپ کا ##WIDGET## سائن اِن لنک',
    linkLead: '##WIDGET## میں سائن اِن کرنے کے لیے یہ لنک استعمال کریں:',
    linkButton: 'سائن اِن کریں',
    linkExpires:
      'اس کی میعاد ##EXPIRY## منٹ میں ختم ہو جائے گی اور یہ ایک ہی بار کام کرے گا۔ یہ ای میل کسی کو آگے نہ بھیجیں۔',
    linkIgnore: 'اگر آپ نے یہ لنک نہیں مانگا تو اس ای میل کو نظر انداز کر دیں۔',
  },
  ar: {
    code: '##OTP## هو رمز التحقق الخاص بك في ##WIDGET##.',
    expires: 'تنتهي صلاحيته خلال ##EXPIRY## دقيقة.',
    share: 'لا تشاركه مع أي أحد.',
    voice: 'رمز التحقق الخاص بك في ##WIDGET## هو ##OTP##. مرة أخرى، رمزك هو ##OTP##.',
    subject: 'رمز التحقق الخاص بك في ##WIDGET##',
    lead: 'رمز التحقق الخاص بك في ##WIDGET## هو:',
    ignore: 'إذا لم تطلب هذا الرمز، يمكنك تجاهل هذه الرسالة.',
    linkOpen: 'افتح هذا الرابط لتسجيل الدخول إلى ##WIDGET##:',
    linkSubject: 'رابط تسجيل الدخول إلى ##WIDGET##',
    linkLead: 'استخدم هذا الرابط لتسجيل الدخول إلى ##WIDGET##:',
    linkButton: 'تسجيل الدخول',
    linkExpires: 'تنتهي صلاحيته خلال ##EXPIRY## دقيقة ويعمل مرة واحدة. لا تعِد توجيه هذه الرسالة.',
    linkIgnore: 'إذا لم تطلب هذا الرابط، يمكنك تجاهل هذه الرسالة.',
  },
  es: {
    code: '##OTP## es tu código de verificación de ##WIDGET##.',
    expires: 'Caduca en ##EXPIRY## minutos.',
    share: 'No lo compartas con nadie.',
    voice: 'Tu código de verificación de ##WIDGET## es ##OTP##. Otra vez, tu código es ##OTP##.',
    subject: 'Tu código de verificación de ##WIDGET##',
    lead: 'Tu código de verificación de ##WIDGET## es:',
    ignore: 'Si no pediste este código, puedes ignorar este correo.',
    linkOpen: 'Abre este enlace para entrar en ##WIDGET##:',
    linkSubject: 'Tu enlace de acceso a ##WIDGET##',
    linkLead: 'Usa este enlace para entrar en ##WIDGET##:',
    linkButton: 'Entrar',
    linkExpires: 'Caduca en ##EXPIRY## minutos y solo funciona una vez. No reenvíes este correo.',
    linkIgnore: 'Si no pediste este enlace, puedes ignorar este correo.',
  },
  'pt-BR': {
    code: '##OTP## é seu código de verificação do ##WIDGET##.',
    expires: 'Ele expira em ##EXPIRY## minutos.',
    share: 'Não compartilhe com ninguém.',
    voice: 'Seu código de verificação do ##WIDGET## é ##OTP##. Repetindo, seu código é ##OTP##.',
    subject: 'Seu código de verificação do ##WIDGET##',
    lead: 'Seu código de verificação do ##WIDGET## é:',
    ignore: 'Se você não pediu este código, pode ignorar este e-mail.',
    linkOpen: 'Abra este link para entrar no ##WIDGET##:',
    linkSubject: 'Seu link de acesso ao ##WIDGET##',
    linkLead: 'Use este link para entrar no ##WIDGET##:',
    linkButton: 'Entrar',
    linkExpires:
      'Ele expira em ##EXPIRY## minutos e só funciona uma vez. Não encaminhe este e-mail.',
    linkIgnore: 'Se você não pediu este link, pode ignorar este e-mail.',
  },
  fr: {
    code: '##OTP## est votre code de vérification ##WIDGET##.',
    expires: 'Il expire dans ##EXPIRY## minutes.',
    share: 'Ne le communiquez à personne.',
    voice: 'Votre code de vérification ##WIDGET## est ##OTP##. Je répète, votre code est ##OTP##.',
    subject: 'Votre code de vérification ##WIDGET##',
    lead: 'Votre code de vérification ##WIDGET## :',
    ignore: 'Si vous n’avez pas demandé ce code, ignorez cet e-mail.',
    linkOpen: 'Ouvrez ce lien pour vous connecter à ##WIDGET## :',
    linkSubject: 'Votre lien de connexion ##WIDGET##',
    linkLead: 'Utilisez ce lien pour vous connecter à ##WIDGET## :',
    linkButton: 'Se connecter',
    linkExpires:
      'Il expire dans ##EXPIRY## minutes et ne fonctionne qu’une fois. Ne transférez pas cet e-mail.',
    linkIgnore: 'Si vous n’avez pas demandé ce lien, ignorez cet e-mail.',
  },
  de: {
    code: '##OTP## ist dein Bestätigungscode für ##WIDGET##.',
    expires: 'Er läuft in ##EXPIRY## Minuten ab.',
    share: 'Gib ihn an niemanden weiter.',
    voice: 'Dein Bestätigungscode für ##WIDGET## ist ##OTP##. Noch einmal, dein Code ist ##OTP##.',
    subject: 'Dein Bestätigungscode für ##WIDGET##',
    lead: 'Dein Bestätigungscode für ##WIDGET##:',
    ignore: 'Wenn du diesen Code nicht angefordert hast, kannst du diese E-Mail ignorieren.',
    linkOpen: 'Öffne diesen Link, um dich bei ##WIDGET## anzumelden:',
    linkSubject: 'Dein Anmeldelink für ##WIDGET##',
    linkLead: 'Mit diesem Link meldest du dich bei ##WIDGET## an:',
    linkButton: 'Anmelden',
    linkExpires:
      'Er läuft in ##EXPIRY## Minuten ab und funktioniert nur einmal. Leite diese E-Mail nicht weiter.',
    linkIgnore: 'Wenn du diesen Link nicht angefordert hast, kannst du diese E-Mail ignorieren.',
  },
  id: {
    code: '##OTP## adalah kode verifikasi ##WIDGET## Anda.',
    expires: 'Kode ini berlaku ##EXPIRY## menit.',
    share: 'Jangan berikan kode ini kepada siapa pun.',
    voice: 'Kode verifikasi ##WIDGET## Anda adalah ##OTP##. Sekali lagi, kode Anda ##OTP##.',
    subject: 'Kode verifikasi ##WIDGET## Anda',
    lead: 'Kode verifikasi ##WIDGET## Anda:',
    ignore: 'Jika Anda tidak meminta kode ini, abaikan email ini.',
    linkOpen: 'Buka tautan ini untuk masuk ke ##WIDGET##:',
    linkSubject: 'Tautan masuk ##WIDGET## Anda',
    linkLead: 'Gunakan tautan ini untuk masuk ke ##WIDGET##:',
    linkButton: 'Masuk',
    linkExpires:
      'Tautan ini berlaku ##EXPIRY## menit dan hanya bisa dipakai sekali. Jangan teruskan email ini.',
    linkIgnore: 'Jika Anda tidak meminta tautan ini, abaikan email ini.',
  },
  ru: {
    code: '##OTP## — ваш код подтверждения для ##WIDGET##.',
    expires: 'Он действует ##EXPIRY## мин.',
    share: 'Никому его не сообщайте.',
    voice: 'Ваш код подтверждения для ##WIDGET##: ##OTP##. Повторяю, ваш код: ##OTP##.',
    subject: 'Код подтверждения для ##WIDGET##',
    lead: 'Ваш код подтверждения для ##WIDGET##:',
    ignore: 'Если вы не запрашивали этот код, просто проигнорируйте письмо.',
    linkOpen: 'Откройте эту ссылку, чтобы войти в ##WIDGET##:',
    linkSubject: 'Ссылка для входа в ##WIDGET##',
    linkLead: 'Войдите в ##WIDGET## по этой ссылке:',
    linkButton: 'Войти',
    linkExpires: 'Ссылка действует ##EXPIRY## мин. и только один раз. Не пересылайте это письмо.',
    linkIgnore: 'Если вы не запрашивали эту ссылку, просто проигнорируйте письмо.',
  },
  tr: {
    code: '##OTP## ##WIDGET## doğrulama kodunuzdur.',
    expires: '##EXPIRY## dakika içinde geçerliliğini yitirir.',
    share: 'Kimseyle paylaşmayın.',
    voice: '##WIDGET## doğrulama kodunuz ##OTP##. Tekrar ediyorum, kodunuz ##OTP##.',
    subject: '##WIDGET## doğrulama kodunuz',
    lead: '##WIDGET## doğrulama kodunuz:',
    ignore: 'Bu kodu siz istemediyseniz bu e-postayı yok sayabilirsiniz.',
    linkOpen: '##WIDGET## hesabınıza giriş yapmak için bu bağlantıyı açın:',
    linkSubject: '##WIDGET## giriş bağlantınız',
    linkLead: '##WIDGET## hesabınıza giriş yapmak için bu bağlantıyı kullanın:',
    linkButton: 'Giriş yap',
    linkExpires:
      '##EXPIRY## dakika içinde geçerliliğini yitirir ve yalnızca bir kez çalışır. Bu e-postayı kimseye iletmeyin.',
    linkIgnore: 'Bu bağlantıyı siz istemediyseniz bu e-postayı yok sayabilirsiniz.',
  },
  vi: {
    code: '##OTP## là mã xác minh ##WIDGET## của bạn.',
    expires: 'Mã hết hạn sau ##EXPIRY## phút.',
    share: 'Không chia sẻ mã này với bất kỳ ai.',
    voice: 'Mã xác minh ##WIDGET## của bạn là ##OTP##. Nhắc lại, mã của bạn là ##OTP##.',
    subject: 'Mã xác minh ##WIDGET## của bạn',
    lead: 'Mã xác minh ##WIDGET## của bạn là:',
    ignore: 'Nếu bạn không yêu cầu mã này, hãy bỏ qua email này.',
    linkOpen: 'Mở liên kết này để đăng nhập vào ##WIDGET##:',
    linkSubject: 'Liên kết đăng nhập ##WIDGET## của bạn',
    linkLead: 'Dùng liên kết này để đăng nhập vào ##WIDGET##:',
    linkButton: 'Đăng nhập',
    linkExpires:
      'Liên kết hết hạn sau ##EXPIRY## phút và chỉ dùng được một lần. Đừng chuyển tiếp email này.',
    linkIgnore: 'Nếu bạn không yêu cầu liên kết này, hãy bỏ qua email này.',
  },
  'zh-CN': {
    code: '##OTP## 是你的 ##WIDGET## 验证码。',
    expires: '##EXPIRY## 分钟内有效。',
    share: '请勿告诉任何人。',
    voice: '你的 ##WIDGET## 验证码是 ##OTP##。再说一遍，你的验证码是 ##OTP##。',
    subject: '你的 ##WIDGET## 验证码',
    lead: '你的 ##WIDGET## 验证码：',
    ignore: '如果你没有请求此验证码，请忽略这封邮件。',
    linkOpen: '打开此链接登录 ##WIDGET##：',
    linkSubject: '你的 ##WIDGET## 登录链接',
    linkLead: '使用此链接登录 ##WIDGET##：',
    linkButton: '登录',
    linkExpires: '此链接 ##EXPIRY## 分钟内有效，仅可使用一次。请勿转发这封邮件。',
    linkIgnore: '如果你没有请求此链接，请忽略这封邮件。',
  },
  ja: {
    code: '##OTP## は ##WIDGET## の確認コードです。',
    expires: '有効期限は ##EXPIRY## 分です。',
    share: '誰にも教えないでください。',
    voice: '##WIDGET## の確認コードは ##OTP## です。もう一度言います、コードは ##OTP## です。',
    subject: '##WIDGET## の確認コード',
    lead: '##WIDGET## の確認コード:',
    ignore: 'このコードに心当たりがない場合は、このメールを無視してください。',
    linkOpen: '##WIDGET## にログインするには、このリンクを開いてください:',
    linkSubject: '##WIDGET## のログインリンク',
    linkLead: 'このリンクから ##WIDGET## にログインできます:',
    linkButton: 'ログイン',
    linkExpires: '有効期限は ##EXPIRY## 分で、1回だけ使えます。このメールは転送しないでください。',
    linkIgnore: 'このリンクに心当たりがない場合は、このメールを無視してください。',
  },
};
