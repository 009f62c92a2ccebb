/** The subset of the Web Storage API GraphiQL persists tabs, history and settings through. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  readonly length: number;
  key(index: number): string | null;
}

/**
 * GraphiQL's storage scoped to one signed-in user, so people sharing a browser do not see each
 * other's tabs and query history. Keys become `ltvloop:explorer:<scope>:<key>`.
 */
export function scopedStorage(backing: KeyValueStorage, scope: string) {
  const prefix = `ltvloop:explorer:${scope}:`;
  const ownKeys = (): string[] => {
    const keys: string[] = [];
    for (let i = 0; i < backing.length; i += 1) {
      const key = backing.key(i);
      if (key?.startsWith(prefix)) keys.push(key);
    }
    return keys;
  };
  return {
    getItem: (key: string) => backing.getItem(prefix + key),
    setItem: (key: string, value: string) => backing.setItem(prefix + key, value),
    removeItem: (key: string) => backing.removeItem(prefix + key),
    clear: () => {
      for (const key of ownKeys()) backing.removeItem(key);
    },
    get length() {
      return ownKeys().length;
    },
  };
}
