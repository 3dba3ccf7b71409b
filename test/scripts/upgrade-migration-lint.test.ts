import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/** `.ci/lint-migrations` (squawk plus the reason rule) over a folder holding one planted migration. */
const LINT = resolve(import.meta.dirname, '../../.ci/lint-migrations');
const folders: string[] = [];

function lint(sql: string): { status: number | null; output: string } {
  const folder = mkdtempSync(join(tmpdir(), 'planted-migration-'));
  folders.push(folder);
  writeFileSync(join(folder, '9000_planted.sql'), sql);
  const result = spawnSync(LINT, [folder], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const DROP = 'ALTER TABLE "posts" DROP COLUMN "error_message";\n';

// Each case runs squawk (a native binary) once or more: seconds each on a busy machine.
describe('migration safety lint (.ci/lint-migrations)', { timeout: 120_000 }, () => {
  it('refuses a planted DROP COLUMN', () => {
    const { status, output } = lint(DROP);
    expect(output).toContain('ban-drop-column');
    expect(status).toBe(1);
  });

  it("accepts it with squawk's ignore comment after a written reason", () => {
    const { status, output } = lint(
      `-- Reason: error_message has not been read by any deployed Worker since two releases.\n-- squawk-ignore ban-drop-column\n${DROP}`,
    );
    expect(output).toContain('no unsafe change');
    expect(status).toBe(0);
  });

  it('refuses the ignore comment without a reason, and a reason of fewer than three words', () => {
    for (const prefix of ['', '-- Reason: fine\n', '-- a comment that is not a reason\n']) {
      const { status, output } = lint(`${prefix}-- squawk-ignore ban-drop-column\n${DROP}`);
      expect(output).toContain('squawk-ignore without a reason');
      expect(status).toBe(1);
    }
  });

  it('refuses other locking or breaking changes to existing tables', () => {
    const cases: [string, string][] = [
      ['ALTER TABLE "posts" ADD COLUMN "origin" text NOT NULL;\n', 'adding-required-field'],
      ['CREATE INDEX "posts_content_idx" ON "posts" ("content");\n', 'require-concurrent-index-creation'],
      ['ALTER TABLE "posts" RENAME COLUMN "content" TO "body";\n', 'renaming-column'],
      ['ALTER TABLE "posts" ALTER COLUMN "error_count" TYPE bigint;\n', 'changing-column-type'],
      ['DROP TABLE "posts";\n', 'ban-drop-table'],
    ];
    for (const [sql, rule] of cases) {
      const { status, output } = lint(sql);
      expect({ sql, rule: output.includes(rule), status }).toEqual({ sql, rule: true, status: 1 });
    }
  });

  it('accepts additive changes: a nullable column, a column with a default, a new table with its index', () => {
    const { status, output } = lint(
      [
        'ALTER TABLE "posts" ADD COLUMN "origin" text;',
        'ALTER TABLE "posts" ADD COLUMN "weight" real DEFAULT 1 NOT NULL;',
        'CREATE TABLE "archive_marks" ("id" uuid PRIMARY KEY, "note" text);',
        'CREATE INDEX "archive_marks_note_idx" ON "archive_marks" ("note");',
      ].join('\n--> statement-breakpoint\n'),
    );
    expect(output).toContain('no unsafe change');
    expect(status).toBe(0);
  });
});
