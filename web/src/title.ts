import { useEffect } from 'react';

/** The document title says where the user is (tabs, history, screen readers); null leaves it to a page below. */
export function useTitle(where: string | null): void {
  useEffect(() => {
    if (where !== null) document.title = `${where} · NEM12 pipeline`;
  }, [where]);
}
