/**
 * Minimal FIFO async mutex. PGlite is a single Postgres connection, so each
 * unit of work (one HTTP request: a statement, or a whole BEGIN..COMMIT batch)
 * must run alone.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    // The chain must survive failures of earlier work, or one error would wedge the lock.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
