// The `fieldSelector=` forms kubectl uses (`metadata.name=x`, `metadata.namespace!=y`), as a predicate.
import type { KubeObject } from '@spiderpool-ts/core';
import { err, ok, type Result } from 'neverthrow';

export type ObjectFilter = (o: KubeObject) => boolean;

const FIELDS: Record<string, (o: KubeObject) => string> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

export const parseFieldSelector = (text: string | null): Result<ObjectFilter, string> => {
  if (!text) return ok(() => true);
  const tests: ObjectFilter[] = [];
  for (const part of text.split(',').filter((p) => p !== '')) {
    const m = /^([a-z.]+)\s*(==|=|!=)\s*(.*)$/.exec(part.trim());
    const field = m ? FIELDS[m[1] ?? ''] : undefined;
    if (!m || !field) return err(`field label not supported: "${part}"`);
    const want = m[3] ?? '';
    tests.push(m[2] === '!=' ? (o) => field(o) !== want : (o) => field(o) === want);
  }
  return ok((o) => tests.every((t) => t(o)));
};
