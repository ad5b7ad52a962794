import { useCallback, useEffect, useRef, useState } from "react";
import { readHashState, writeHashState, type HashState } from "./hashState.ts";

/**
 * Widget state that survives in the URL hash under `name`. The first render uses `initial` (so the
 * server-rendered HTML and hydration agree); the hash is read after mount and on `hashchange`, and
 * written back with `replaceState` only after the reader changes something.
 */
export function useHashState<T extends HashState>(
  name: string,
  initial: T,
): [T, (patch: Partial<T> | ((state: T) => Partial<T>)) => void] {
  const [state, setState] = useState(initial);
  const initialRef = useRef(initial);
  const changedByReader = useRef(false);

  useEffect(() => {
    const restore = () => {
      const restored = readHashState(location.hash, name, initialRef.current);
      if (restored) setState(restored);
    };
    restore();
    addEventListener("hashchange", restore);
    return () => removeEventListener("hashchange", restore);
  }, [name]);

  useEffect(() => {
    if (!changedByReader.current) return;
    const hash = writeHashState(location.hash, name, state);
    history.replaceState(history.state, "", `${location.pathname}${location.search}${hash}`);
  }, [name, state]);

  const update = useCallback((patch: Partial<T> | ((state: T) => Partial<T>)) => {
    changedByReader.current = true;
    setState((previous) => ({ ...previous, ...(typeof patch === "function" ? patch(previous) : patch) }));
  }, []);

  return [state, update];
}
