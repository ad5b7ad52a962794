import { useEffect, useRef, useState } from "react";

/** An async result and the input it was computed for. */
export interface Settled<I, T> {
  input: I;
  value: T;
}

/**
 * The newest settled result of an async computation over `input`: a result that arrives after the
 * input changed again is dropped, so a slow answer never overwrites a newer one. Until the current
 * input's answer arrives the previous one stays (compare `input` to tell), so output does not flicker.
 * `known` answers synchronously where it can (first render, server rendering).
 */
export function useLatest<I, T>(
  input: I,
  compute: (input: I) => Promise<T>,
  known: (input: I) => T | null,
): Settled<I, T> | null {
  const [settled, setSettled] = useState<Settled<I, T> | null>(() => {
    const value = known(input);
    return value === null ? null : { input, value };
  });
  const computeRef = useRef(compute);
  computeRef.current = compute;
  const knownRef = useRef(known);
  knownRef.current = known;

  useEffect(() => {
    let current = true;
    const value = knownRef.current(input);
    if (value !== null) {
      setSettled({ input, value });
      return;
    }
    computeRef.current(input).then((computed) => {
      if (current) setSettled({ input, value: computed });
    });
    return () => {
      current = false;
    };
  }, [input]);

  return settled;
}
