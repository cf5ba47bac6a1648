// Everything the demo starts registers how to undo it here; `runAll` undoes in reverse order (processes
// before the netns they live in, the temp dir last), once, and also runs on SIGINT / SIGTERM and on a failed
// step. Each undo has a deadline so a stuck one cannot hold the rest.
export interface Cleanup {
  add(label: string, undo: () => void | Promise<void>): void;
  runAll(): Promise<string[]>;
}

export const createCleanup = (deadlineMs = 10_000): Cleanup => {
  const stack: { label: string; undo: () => void | Promise<void> }[] = [];
  let running: Promise<string[]> | undefined;
  return {
    add: (label, undo) => {
      stack.push({ label, undo });
    },
    runAll: () => {
      running ??= (async () => {
        const problems: string[] = [];
        while (stack.length > 0) {
          const item = stack.pop();
          if (item === undefined) break;
          let timer: NodeJS.Timeout | undefined;
          const deadline = new Promise<'late'>((r) => {
            timer = setTimeout(() => r('late'), deadlineMs);
          });
          try {
            const r = await Promise.race([
              Promise.resolve(item.undo()).then(() => 'done' as const),
              deadline,
            ]);
            if (r === 'late') problems.push(`${item.label}: not done within ${deadlineMs} ms`);
          } catch (e) {
            problems.push(`${item.label}: ${e instanceof Error ? e.message : String(e)}`);
          } finally {
            clearTimeout(timer);
          }
        }
        return problems;
      })();
      return running;
    },
  };
};
