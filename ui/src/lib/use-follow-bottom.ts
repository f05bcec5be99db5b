import { useCallback, useEffect, useRef, type RefObject } from 'react';

/** How close (px) to the end of the page still counts as "reading the latest message". */
const NEAR_BOTTOM_PX = 120;

function isNearPageBottom(): boolean {
  const page = document.documentElement;
  return window.innerHeight + window.scrollY >= page.scrollHeight - NEAR_BOTTOM_PX;
}

/**
 * Keeps `anchor` in view while `content` grows (streamed text, an image that finished loading, a
 * tool form), as long as the reader is at the end of the page. Scrolling up to read older messages
 * stops the following; scrolling back down, or calling the returned `follow` (on send), resumes it.
 */
export function useFollowBottom(content: RefObject<HTMLElement | null>, anchor: RefObject<HTMLElement | null>): () => void {
  const following = useRef(true);

  useEffect(() => {
    const onScroll = () => {
      following.current = isNearPageBottom();
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, []);

  useEffect(() => {
    const element = content.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (following.current) anchor.current?.scrollIntoView?.({ block: 'end' });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [content, anchor]);

  return useCallback(() => {
    following.current = true;
    anchor.current?.scrollIntoView?.({ block: 'end' });
  }, [anchor]);
}
