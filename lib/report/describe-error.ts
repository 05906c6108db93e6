/**
 * A readable message for anything a hook, listener or lifecycle hook may throw, Error or not.
 * Never throws itself: a revoked Proxy or an object whose toJSON and toString both throw is
 * still described, so that formatting a failure can't stop the sequence.
 */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return String(error.message) || String(error.name);
  } catch {
    // A getter that throws, or a revoked Proxy whose prototype can't be read: described below.
  }
  if (typeof error === 'string') return error;
  for (const render of [JSON.stringify, String] as Array<(value: unknown) => string | undefined>) {
    try {
      const text = render(error);
      if (typeof text === 'string') return `non-Error value thrown: ${text}`;
    } catch {
      // Try the next way of rendering it.
    }
  }
  return `non-Error value thrown (${typeofSafely(error)} that can't be rendered)`;
}

/** The stack of an Error, or undefined; never throws. */
export function stackOf(error: unknown): string | undefined {
  try {
    return error instanceof Error && typeof error.stack === 'string' ? error.stack : undefined;
  } catch {
    return undefined;
  }
}

function typeofSafely(value: unknown): string {
  try {
    return `a value of type ${typeof value}`;
  } catch {
    return 'a value';
  }
}
