import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";

/**
 * One search parameter as state (`?tool=echo`), so what is picked survives a reload and can be
 * linked to. Changes replace the history entry: picking ten tools is not ten Back presses.
 *
 * The value is also held locally: the router applies URL changes in a transition, and a
 * controlled radio button would otherwise snap back for a moment after each click.
 */
export function useSearchParam(name: string): [string | null, (value: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const fromUrl = params.get(name);
  const [value, setValue] = useState(fromUrl);
  useEffect(() => setValue(fromUrl), [fromUrl]);

  const set = (next: string | null) => {
    setValue(next);
    setParams(
      (current) => {
        const nextParams = new URLSearchParams(current);
        if (next === null) nextParams.delete(name);
        else nextParams.set(name, next);
        return nextParams;
      },
      { replace: true },
    );
  };
  return [value, set];
}
