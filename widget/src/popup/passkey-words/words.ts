/**
 * The passkey words of one language: declared apart from `../PasskeyUi.tsx`,
 * which loads each language's file, so that those files need not import it.
 */
export interface PasskeyWords {
  readonly offerTitle: string;
  readonly offerBody: string;
  readonly create: string;
  readonly notNow: string;
  readonly created: string;
  readonly cancelled: string;
  readonly failed: string;
  readonly signIn: string;
  readonly or: string;
  readonly signInFailed: string;
}
