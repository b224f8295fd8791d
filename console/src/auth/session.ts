/**
 * The signed-in session: the authkey lives in sessionStorage (gone when the
 * tab closes), and one admin API client reads it on every request.
 */

import type { Meta } from '@otpkit/protocol';
import { signal } from '@preact/signals';
import { adminApi } from '../api/admin.ts';
import { createApiClient } from '../api/client.ts';

const STORAGE_KEY = 'otpkit.console.authkey';

function readStored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The authkey of this session, or null when signed out. */
export const authkey = signal<string | null>(readStored());

/** Why the session ended, shown on the sign-in page. */
export const signOutReason = signal<string | null>(null);

/** Server facts (`/api/v1/meta`), or null until loaded / when unavailable. */
export const meta = signal<Meta | null>(null);

/** Stores a verified authkey for this tab. */
export function signIn(key: string): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, key);
  } catch {
    // Private mode without storage: the session lasts until reload.
  }
  signOutReason.value = null;
  authkey.value = key;
}

/** Forgets the authkey. */
export function signOut(reason: string | null = null): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {}
  signOutReason.value = reason;
  authkey.value = null;
}

/** The admin API for this session. */
export const api = adminApi(
  createApiClient({
    authkey: () => authkey.value,
    onUnauthorized: (error) => signOut(error.message),
  }),
);

/** Loads `/api/v1/meta` once; a server without it just shows no dev links. */
export async function loadMeta(): Promise<void> {
  try {
    meta.value = await api.meta();
  } catch {
    meta.value = null;
  }
}
