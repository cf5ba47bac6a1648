import { describe, expect, it } from 'vitest';
import { parseDemoArgs } from './args.ts';

describe('demo arguments', () => {
  it('--keep, --help, a literal --', () => {
    expect(parseDemoArgs([])).toEqual({ help: false, keep: false });
    expect(parseDemoArgs(['--', '--keep'])).toEqual({ help: false, keep: true });
    expect(parseDemoArgs(['-h'])).toEqual({ help: true, keep: false });
  });
  it('refuses the old --store variants and unknown arguments with the usage', () => {
    expect(parseDemoArgs(['--store=k8s'])).toMatch(
      /--store=k8s: the in-memory .* are gone[\s\S]*usage: pnpm demo/,
    );
    expect(parseDemoArgs(['--fast'])).toMatch(/unknown argument --fast[\s\S]*usage: pnpm demo/);
  });
});
