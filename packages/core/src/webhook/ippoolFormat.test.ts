// The webhook side of the blocks pool format (ADR 0029): its annotations are validated on create and update,
// and the format / block size cannot change under a pool that holds records.
import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE_ANNOTATION, POOL_FORMAT_ANNOTATION } from '../ipam/blocks/format.ts';
import { defaultIPPool } from './ippoolDefault.ts';
import { brief, context, pool, stored } from './ippoolTestKit.ts';
import { validateIPPoolCreate, validateIPPoolUpdate } from './ippoolValidate.ts';

const ctx = context();
const annotated = (annotations: Record<string, string>, name = 'p') =>
  defaultIPPool(pool(name, { subnet: '10.0.0.0/16', ips: ['10.0.0.1-10.0.0.9'] }, { annotations }), ctx);

describe('SpiderIPPool webhook: the pool-format annotations', () => {
  it('admits the blocks format with a valid block size, and the default format', () => {
    expect(validateIPPoolCreate(annotated({ [POOL_FORMAT_ANNOTATION]: 'blocks' }), ctx)).toEqual([]);
    expect(
      validateIPPoolCreate(
        annotated({ [POOL_FORMAT_ANNOTATION]: 'blocks', [BLOCK_SIZE_ANNOTATION]: '256' }),
        ctx,
      ),
    ).toEqual([]);
    expect(validateIPPoolCreate(annotated({ [POOL_FORMAT_ANNOTATION]: 'spiderpool' }), ctx)).toEqual([]);
  });

  it('refuses an unknown format, a bad block size, a block size without the format, a long name', () => {
    const fmt = validateIPPoolCreate(annotated({ [POOL_FORMAT_ANNOTATION]: 'bitmap' }), ctx);
    expect(fmt.map((e) => [e.type, e.field, e.supported])).toEqual([
      ['NotSupported', `metadata.annotations[${POOL_FORMAT_ANNOTATION}]`, ['spiderpool', 'blocks']],
    ]);
    for (const bad of ['48', '2', '2048', 'x', '064 '])
      expect(
        brief(
          validateIPPoolCreate(
            annotated({ [POOL_FORMAT_ANNOTATION]: 'blocks', [BLOCK_SIZE_ANNOTATION]: bad }),
            ctx,
          ),
        )[0],
      ).toMatch(/must be a power of two in \[4, 1024\]/);
    expect(brief(validateIPPoolCreate(annotated({ [BLOCK_SIZE_ANNOTATION]: '64' }), ctx))[0]).toMatch(
      /only valid with spiderpool-ts.io\/pool-format=blocks/,
    );
    expect(
      brief(validateIPPoolCreate(annotated({ [POOL_FORMAT_ANNOTATION]: 'blocks' }, 'x'.repeat(64)), ctx))[0],
    ).toMatch(/^Invalid metadata.name/);
  });

  it('update: format and block size are fixed while the pool has records, free while it is empty', () => {
    const old = stored(annotated({ [POOL_FORMAT_ANNOTATION]: 'blocks', [BLOCK_SIZE_ANNOTATION]: '64' }));
    const bigger = {
      ...old,
      metadata: {
        ...old.metadata,
        annotations: { [POOL_FORMAT_ANNOTATION]: 'blocks', [BLOCK_SIZE_ANNOTATION]: '128' },
      },
    };
    const plain = { ...old, metadata: { ...old.metadata, annotations: {} } };
    expect(validateIPPoolUpdate(old, bigger, ctx)).toEqual([]);
    expect(validateIPPoolUpdate(old, plain, ctx)).toEqual([]);
    const busy = { ...old, status: { allocatedIPCount: 3 } };
    expect(brief(validateIPPoolUpdate(busy, bigger, ctx))).toEqual([
      `Forbidden metadata.annotations[${BLOCK_SIZE_ANNOTATION}]: cannot change the block size of an IPPool that has allocated IPs`,
    ]);
    expect(brief(validateIPPoolUpdate(busy, plain, ctx))).toEqual([
      `Forbidden metadata.annotations[${POOL_FORMAT_ANNOTATION}]: cannot change the format of an IPPool that has allocated IPs`,
    ]);
  });
});
