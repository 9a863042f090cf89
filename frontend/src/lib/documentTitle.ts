import { useEffect } from 'react';

/** "Users · NOP": the page's name first, so tabs and history tell pages apart. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · NOP`;
  }, [title]);
}
