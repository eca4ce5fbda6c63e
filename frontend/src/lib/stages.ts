import { useEffect, useState } from 'preact/hooks';

/**
 * Renders a long screen in steps: 0 on the first render, then one more after each paint, up to `last`.
 * Each step is its own short task, so the page answers taps and keys in between (no long task while
 * the first screen builds). Later steps must only add content below what is already shown (no shift).
 */
export function useStages(last: number): number {
  const [stage, setStage] = useState(0);
  // Preact runs effects after the next paint: each step renders in a new task once the previous one is on screen.
  useEffect(() => {
    if (stage < last) setStage(stage + 1);
  }, [stage, last]);
  return stage;
}
