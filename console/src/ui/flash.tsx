/** A message that survives one navigation ("Widget created", "Widget deleted"). */
import { signal } from '@preact/signals';
import type { ComponentChildren, JSX } from 'preact';
import { navigate, route } from '../router.ts';
import { Notice } from './components.tsx';

/** A message for the next page. */
export interface FlashMessage {
  tone: 'success' | 'info';
  title: string;
  body?: ComponentChildren;
}

const flash = signal<(FlashMessage & { path: string }) | null>(null);

/** Navigates to `path` and shows a message there. */
export function navigateWithFlash(path: string, message: FlashMessage): void {
  flash.value = { ...message, path };
  navigate(path);
}

/** Shows the flash message meant for the current page. */
export function Flash(): JSX.Element | null {
  const message = flash.value;
  if (!message || message.path !== route.value.path) return null;
  return (
    <Notice tone={message.tone} title={message.title}>
      {message.body}
    </Notice>
  );
}
