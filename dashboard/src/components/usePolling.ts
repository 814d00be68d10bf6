import { useEffect } from 'react';

/** Calls `refresh` every `ms` while the tab is visible (no polling in hidden tabs). */
export function usePolling(refresh: () => void, ms: number): void {
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') refresh();
    }, ms);
    return () => clearInterval(timer);
  }, [refresh, ms]);
}
