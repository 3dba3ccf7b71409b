// Small helpers shared by the schema tests of this folder (not a test file itself).

/** What a failed database call reported: the SQLSTATE and, for constraint violations, the constraint's name. */
export interface Violation {
  code: string | undefined;
  constraint: string | undefined;
}

/** Resolves to `undefined` when the call succeeded, else to the error's SQLSTATE and constraint. */
export async function violation(promise: Promise<unknown>): Promise<Violation | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    const e = error as { code?: string; constraint?: string; message?: string };
    return { code: e.code ?? `no code: ${String(e.message ?? error)}`, constraint: e.constraint || undefined };
  }
}

/** Resolves to 'ok' when the call succeeded, else to `SQLSTATE: message` (readable in a failed expectation). */
export async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    const e = error as { code?: string; message?: string };
    return `${e.code ?? 'no code'}: ${e.message ?? String(error)}`;
  }
}

export const uuid = () => crypto.randomUUID();

/** A 64-character lowercase hex string (the api_keys.key_hash format). */
export const hex64 = () => (uuid() + uuid()).replaceAll('-', '').slice(0, 64);

/** A short unique suffix for names and labels. */
export const tag = () => uuid().slice(0, 8);
