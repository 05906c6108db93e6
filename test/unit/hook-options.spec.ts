import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { OnShutdown } from '../../lib/index.js';
import { hookMethodsOf } from '../../lib/decorators/hook-method-registry.js';
import { validateHookOptions } from '../../lib/validation/validate-hook-options.js';

describe('@OnShutdown() options', () => {
  it('accepts an order or an options object and fills in the default order', () => {
    expect(validateHookOptions(undefined, 'A.m')).toEqual({ order: 0 });
    expect(validateHookOptions(-5, 'A.m')).toEqual({ order: -5 });
    expect(validateHookOptions({ order: 2.5, timeout: 100, name: 'x' }, 'A.m')).toEqual({ order: 2.5, timeout: 100, name: 'x' });
    expect(validateHookOptions({ timeout: 1 }, 'A.m')).toEqual({ order: 0, timeout: 1 });
  });

  it.each([
    [NaN, 'order must be a finite number, got NaN'],
    [Infinity, 'order must be a finite number, got Infinity'],
    ['10', 'expected an order (number) or { order, timeout, name }, got "10"'],
    [{ order: '10' }, 'order must be a finite number, got "10"'],
    [{ order: -Infinity }, 'order must be a finite number, got -Infinity'],
    [{ timeout: 0 }, 'timeout must be a finite number of ms > 0, got 0'],
    [{ timeout: -1 }, 'timeout must be a finite number of ms > 0, got -1'],
    [{ timeout: NaN }, 'timeout must be a finite number of ms > 0, got NaN'],
    [{ timeout: 2 ** 53 }, 'timeout must be at most 2147483647 ms (2^31 - 1, the longest timer Node can hold), got 9007199254740992'],
    [{ name: '' }, 'name must be a non-empty string, got ""'],
    [{ name: 42 }, 'name must be a non-empty string, got 42'],
    [{ ordr: 1 }, 'unknown option "ordr"'],
    [null, 'expected an order (number) or { order, timeout, name }, got null'],
  ])('refuses %p naming the method and the value', (input, problem) => {
    expect(() => validateHookOptions(input, 'Outbox.flush')).toThrow(`@OnShutdown() on Outbox.flush: ${problem}`);
  });
});

describe('@OnShutdown() decorator', () => {
  it('records the validated options of the method, and writes no reflection metadata on it', () => {
    class Outbox {
      @OnShutdown({ order: 10, timeout: 50 })
      flush(): void {}
    }
    expect(hookMethodsOf(Outbox.prototype)).toEqual([{ key: 'flush', metadata: { order: 10, timeout: 50 } }]);
    expect(Reflect.getOwnMetadataKeys(Outbox.prototype.flush)).toEqual([]);
  });

  it('fails when the class is defined, naming class, method and value', () => {
    expect(() => {
      class Db {
        @OnShutdown({ order: NaN })
        close(): void {}
      }
      return Db;
    }).toThrow('@OnShutdown() on Db.close: order must be a finite number, got NaN');
  });

  it('refuses a static method', () => {
    expect(() => {
      class Pool {
        @OnShutdown()
        static end(): void {}
      }
      return Pool;
    }).toThrow("@OnShutdown() on Pool.end: static methods can't be hooks");
  });

  it('refuses a getter', () => {
    expect(() => {
      class Cache {
        @OnShutdown()
        get size(): number {
          return 1;
        }
      }
      return Cache;
    }).toThrow('@OnShutdown() on Cache.size: only methods can be hooks');
  });

  it('refuses being applied twice to one method', () => {
    expect(() => {
      class Twice {
        @OnShutdown(1)
        @OnShutdown(2)
        stop(): void {}
      }
      return Twice;
    }).toThrow('@OnShutdown() on Twice.stop: applied twice');
  });

  it('refuses being applied twice with a wrapping decorator between', () => {
    const Wrap = (): MethodDecorator => (_target, _key, descriptor: PropertyDescriptor) => {
      const original = descriptor.value as () => void;
      descriptor.value = function (this: unknown) {
        return original.call(this);
      };
    };
    expect(() => {
      class Twice {
        @OnShutdown(1)
        @Wrap()
        @OnShutdown(2)
        stop(): void {}
      }
      return Twice;
    }).toThrow('@OnShutdown() on Twice.stop: applied twice');
  });
});
