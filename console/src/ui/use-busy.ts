/** A form action's state: busy while it runs, and its error message if it failed. */
import { useState } from 'preact/hooks';

export interface Busy {
  busy: boolean;
  error: string | null;
  setError: (error: string | null) => void;
  /** Runs the action: busy meanwhile, its thrown message kept as `error`. */
  run: (action: () => Promise<void>) => Promise<void>;
}

/** State for one action at a time (create, search). */
export function useBusy(): Busy {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return {
    busy,
    error,
    setError,
    async run(action) {
      setBusy(true);
      setError(null);
      try {
        await action();
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      } finally {
        setBusy(false);
      }
    },
  };
}
