import { describe, expect, it } from 'vitest';
import { storeErrorFromException, storeErrorFromStatus } from './statusErrors.ts';

const target = { kind: 'SpiderIPPool', name: 'p' };
const status = (code: number, reason: string) => ({ kind: 'Status', code, reason, message: `m ${reason}` });

describe('storeErrorFromStatus', () => {
  it('maps codes and reasons to the seven tags', () => {
    expect(storeErrorFromStatus(target, 404, status(404, 'NotFound'))._tag).toBe('NotFound');
    expect(storeErrorFromStatus(target, 409, status(409, 'AlreadyExists'))._tag).toBe('AlreadyExists');
    expect(storeErrorFromStatus(target, 409, status(409, 'Conflict'))).toMatchObject({
      _tag: 'Conflict',
      reason: 'm Conflict',
    });
    expect(storeErrorFromStatus(target, 422, status(422, 'Invalid'))._tag).toBe('Invalid');
    expect(storeErrorFromStatus(target, 400, status(400, 'BadRequest'))._tag).toBe('Invalid');
    expect(storeErrorFromStatus({ kind: 'SpiderIPPool' }, 0, status(410, 'Expired'), '12')).toMatchObject({
      _tag: 'Gone',
      resourceVersion: '12',
    });
    expect(storeErrorFromStatus(target, 401, status(401, 'Unauthorized'))).toMatchObject({
      _tag: 'Unauthorized',
      status: 401,
    });
    expect(storeErrorFromStatus(target, 403, status(403, 'Forbidden'))).toMatchObject({
      _tag: 'Unauthorized',
      status: 403,
      reason: 'm Forbidden',
    });
    for (const code of [429, 500, 503]) {
      expect(storeErrorFromStatus(target, code, status(code, 'X'))._tag).toBe('Unavailable');
    }
    // A 404 on a collection means the resource is not served: the request is wrong, nothing is "missing".
    expect(storeErrorFromStatus({ kind: 'SpiderIPPool' }, 404, undefined)._tag).toBe('Invalid');
    // Status.code wins over the HTTP status (watch ERROR events come with HTTP 200).
    expect(storeErrorFromStatus(target, 200, status(409, 'Conflict'))._tag).toBe('Conflict');
  });

  it('an exception (no answer) is Unavailable carrying the cause', () => {
    const cause = new Error('connect ECONNREFUSED');
    expect(storeErrorFromException(target, cause)).toMatchObject({ _tag: 'Unavailable', cause });
  });
});
