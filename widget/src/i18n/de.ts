/** German: every key of the English catalogue, translated. */
import type { Messages } from './en.ts';

const de: Messages = {
  'dialog.close': 'Schließen',
  'dialog.loading': 'Wird geladen…',
  'identifier.title.mobile': 'Telefonnummer bestätigen',
  'identifier.title.email': 'E-Mail-Adresse bestätigen',
  'identifier.tabs': 'Wie sollen wir dich erreichen?',
  'identifier.tab.mobile': 'Telefon',
  'identifier.tab.email': 'E-Mail',
  'identifier.label.mobile': 'Telefonnummer',
  'identifier.label.email': 'E-Mail-Adresse',
  'identifier.hint.mobile':
    'Wir schicken dir einen Code per SMS, um zu bestätigen, dass du es bist.',
  'identifier.hint.email':
    'Wir schicken dir einen Code per E-Mail, um zu bestätigen, dass du es bist.',
  'identifier.send': 'Code senden',
  'identifier.sending': 'Code wird gesendet…',
  'identifier.invalid.mobile': 'Gib eine gültige Telefonnummer ein.',
  'identifier.invalid.email': 'Gib eine gültige E-Mail-Adresse ein, z. B. name@example.com.',
  'country.button': '+{dialCode} {country}, Land ändern',
  'country.search': 'Länder suchen',
  'country.list': 'Länder',
  'country.none': 'Kein Land passt zu „{query}“.',
  'country.back': 'Zurück',
  'code.title.mobile': 'Schau auf dein Telefon',
  'code.title.email': 'Schau in deine E-Mails',
  'code.sentTo': 'Gib den {length}-stelligen Code ein, den wir an {identifier} gesendet haben',
  'code.edit': 'Ändern',
  'code.label': 'Bestätigungscode',
  'code.verifying': 'Code wird geprüft…',
  'code.wrong.one': 'Dieser Code stimmt nicht. Du hast noch {count} Versuch.',
  'code.wrong.other': 'Dieser Code stimmt nicht. Du hast noch {count} Versuche.',
  'code.wrong': 'Dieser Code stimmt nicht. Prüfe ihn und versuche es noch einmal.',
  'code.incomplete': 'Gib alle {length} Ziffern des Codes ein.',
  'code.tooManyTries':
    'Zu viele falsche Codes. Fordere einen neuen Code an, um es noch einmal zu versuchen.',
  'code.expired': 'Dieser Code ist abgelaufen – fordere einen neuen an.',
  'code.retryLimit': 'Dieser Code kann nicht noch einmal gesendet werden. Fordere einen neuen an.',
  'code.resent': 'Wir haben einen neuen Code gesendet.',
  'code.newCode': 'Neuen Code senden',
  'link.hint.mobile': 'Wir schicken dir einen Link per SMS, um zu bestätigen, dass du es bist.',
  'link.hint.email': 'Wir schicken dir einen Link per E-Mail, um zu bestätigen, dass du es bist.',
  'link.send': 'Link senden',
  'link.sentTo':
    'Wir haben einen Anmeldelink an {identifier} gesendet. Öffne ihn auf einem beliebigen Gerät und bestätige: Diese Seite geht von selbst weiter.',
  'link.waiting': 'Warten, bis du den Link öffnest…',
  'link.expired': 'Dieser Link ist abgelaufen – fordere einen neuen an.',
  'link.resent': 'Wir haben einen neuen Link gesendet.',
  'link.newLink': 'Neuen Link senden',
  'link.match': 'Die Seite des Links fragt nach dieser Zahl:',
  'link.ended':
    'Auf der Seite des Links wurde eine falsche Zahl eingegeben, daher funktioniert er nicht mehr. Fordere einen neuen Link an.',
  'resend.prompt': 'Nichts angekommen?',
  'resend.wait': 'Nichts angekommen? Erneut senden in {time}',
  'resend.ready': 'Du kannst jetzt einen neuen Code anfordern.',
  'resend.none': 'Für diesen Code sind keine weiteren Sendungen möglich.',
  'resend.sms': 'Noch eine SMS senden',
  'resend.voice': 'Mich anrufen',
  'resend.whatsapp': 'WhatsApp',
  'resend.telegram': 'Telegram',
  'resend.email': 'E-Mail',
  'done.title': 'Bestätigt',
  'done.body': 'Alles erledigt.',
  'error.offline':
    'Du scheinst offline zu sein. Prüfe deine Verbindung und versuche es noch einmal.',
  'error.rateLimited': 'Zu viele Versuche. Versuche es in {time} noch einmal.',
  'error.retryTooSoon': 'Bitte warte {time}, bevor du einen weiteren Code anforderst.',
  'error.channel': 'Dieser Weg ist nicht verfügbar. Versuche einen anderen.',
  'error.delivery':
    'Wir konnten den Code nicht senden. Versuche es noch einmal oder wähle einen anderen Weg.',
  'error.generic': 'Etwas ist schiefgelaufen. Bitte versuche es noch einmal.',
  'error.alreadyVerified': 'Dieser Code wurde schon verwendet. Fordere einen neuen an.',
  'error.captcha':
    'Wir konnten nicht bestätigen, dass du kein Roboter bist. Bitte versuche es noch einmal.',
  'error.countryNotAllowed':
    'Telefonnummern aus {country} sind hier nicht möglich. Wähle ein anderes Land.',
  'error.templateVariable':
    'Wir konnten deine Nachricht nicht vorbereiten. Bitte versuche es später noch einmal.',
  'error.unavailable.title': 'Bestätigung nicht verfügbar',
  'error.unavailable':
    'Die Bestätigung ist auf dieser Website gerade nicht verfügbar. Bitte versuche es später noch einmal.',
  'error.retry': 'Noch einmal versuchen',
};

export default de;
