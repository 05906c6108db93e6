import { describe, expect, it } from '@jest/globals';
import { describeError, stackOf } from '../../lib/report/describe-error.js';

const revoked = (() => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
})();
const unrenderable = {
  toJSON() {
    throw new Error('no JSON');
  },
  toString() {
    throw new Error('no string');
  },
};

describe('describeError', () => {
  it('describes Errors, strings and plain values', () => {
    expect(describeError(new Error('boom'))).toBe('boom');
    expect(describeError(new TypeError(''))).toBe('TypeError');
    expect(describeError('plain')).toBe('plain');
    expect(describeError({ code: 7 })).toBe('non-Error value thrown: {"code":7}');
    expect(describeError(undefined)).toBe('non-Error value thrown: undefined');
  });

  it('never throws, whatever it is given', () => {
    expect(describeError(revoked)).toMatch(/^non-Error value thrown/);
    expect(describeError(unrenderable)).toBe("non-Error value thrown (a value of type object that can't be rendered)");
    const badMessage = Object.defineProperty(new Error('x'), 'message', {
      get() {
        throw new Error('getter');
      },
    });
    expect(() => describeError(badMessage)).not.toThrow();
  });

  it('reads a stack without throwing', () => {
    expect(stackOf(new Error('s'))).toContain('Error: s');
    expect(stackOf(revoked)).toBeUndefined();
    expect(stackOf('text')).toBeUndefined();
  });
});
