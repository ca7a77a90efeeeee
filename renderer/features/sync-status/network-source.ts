/** The browser's view of the network, in the shape the sync runner takes. */
export function browserNetwork(target: Window): Readonly<{ online(): boolean; subscribe(listener: (online: boolean) => void): () => void }> {
  return {
    online: () => target.navigator.onLine,
    subscribe(listener) {
      const online = (): void => listener(true);
      const offline = (): void => listener(false);
      target.addEventListener('online', online);
      target.addEventListener('offline', offline);
      return () => {
        target.removeEventListener('online', online);
        target.removeEventListener('offline', offline);
      };
    },
  };
}
