import type { ModulesContainer } from '@nestjs/core';

/**
 * The instance of the provider whose token is a class named `tokenName`, in a module whose class is
 * named `moduleName`: how an optional library's registry is found without loading the library (an
 * application that does not use it has no such module, and nothing is imported). Undefined when absent.
 */
export function findProvider(container: ModulesContainer, moduleName: string, tokenName: string): object | undefined {
  for (const module of container.values()) {
    if ((module.metatype as Function | undefined)?.name !== moduleName) continue;
    for (const [token, wrapper] of module.providers) {
      if (typeof token === 'function' && token.name === tokenName && wrapper.instance && typeof wrapper.instance === 'object') {
        return wrapper.instance as object;
      }
    }
  }
  return undefined;
}
