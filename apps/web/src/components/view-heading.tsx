import { type ReactNode, useEffect, useRef } from "react";

/**
 * The heading of a view that replaces another (signed in, signed out). It takes focus when it
 * appears, so keyboard and screen-reader users continue from the new view instead of the page top.
 */
export function ViewHeading({ id, children }: { id?: string; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h2 id={id} ref={ref} tabIndex={-1}>
      {children}
    </h2>
  );
}
