import { useWindowVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useRef, useState, type ReactNode, type Ref } from 'react';

/**
 * A list that scrolls with the page but renders only the lines near the viewport: thousands of
 * checks cost the DOM of a screenful. Lines are measured as they render (cards grow with their
 * agents), so `estimate` only needs to be close — unless `measure` is off.
 */
export function WindowList<T>({
  items,
  getKey,
  estimate,
  render,
  overscan = 6,
  className,
  role,
  virtualizerRef,
  measure = true,
}: {
  items: readonly T[];
  getKey: (item: T) => string;
  estimate: (item: T) => number;
  render: (item: T, index: number) => ReactNode;
  overscan?: number;
  className?: string;
  role?: string;
  /** the virtualizer, for callers that scroll to a line (keyboard navigation) */
  virtualizerRef?: Ref<Virtualizer<Window, Element> | null>;
  /**
   * false when `estimate` is exact (fixed-height table lines): measuring forces a layout per line
   * as it mounts, which was the larger part of the table's first render
   */
  measure?: boolean;
}) {
  const host = useRef<HTMLDivElement>(null);
  const scrollMargin = useOffsetTop(host);
  const virtualizer = useWindowVirtualizer({
    count: items.length,
    estimateSize: (i) => estimate(items[i]!),
    getItemKey: (i) => getKey(items[i]!),
    overscan,
    scrollMargin,
  });
  if (typeof virtualizerRef === 'function') virtualizerRef(virtualizer);
  else if (virtualizerRef) virtualizerRef.current = virtualizer;

  return (
    <div
      ref={host}
      role={role}
      className={className}
      style={{ position: 'relative', height: virtualizer.getTotalSize() }}
    >
      {virtualizer.getVirtualItems().map((line) => (
        <div
          key={line.key}
          data-index={line.index}
          ref={measure ? virtualizer.measureElement : undefined}
          role={role === 'rowgroup' ? 'presentation' : undefined}
          style={{
            position: 'absolute',
            top: 0,
            left: 0,
            width: '100%',
            transform: `translateY(${line.start - scrollMargin}px)`,
          }}
        >
          {render(items[line.index]!, line.index)}
        </div>
      ))}
    </div>
  );
}

/**
 * The element's distance from the top of the page: the virtualizer's scroll margin. Measured again
 * whenever the page above it changes height (the agents table loading, a banner appearing).
 */
function useOffsetTop(ref: React.RefObject<HTMLElement | null>): number {
  const [top, setTop] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setTop(Math.round(el.getBoundingClientRect().top + window.scrollY));
    measure();
    const observer = new ResizeObserver(measure);
    // Anything above the list lives in <main>'s earlier children; their size changes move the list.
    for (let node: Element | null = el.parentElement; node && node !== document.body; node = node.parentElement) {
      for (let sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
        observer.observe(sibling);
      }
    }
    return () => observer.disconnect();
  }, [ref]);
  return top;
}
