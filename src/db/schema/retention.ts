import { sql } from 'drizzle-orm';
import { check, integer, pgEnum, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns';
import { tenantTable } from './tenant-table';

/** What a retention archive holds (seed 003's retention table). */
export const retentionDataset = pgEnum('retention_dataset', ['posts', 'kpi_metrics', 'audit_logs']);

/**
 * One archive object in R2 whose rows the retention job deleted: written in the same transaction
 * as the delete, so a row here means the object holds exactly what left the database. Its insert
 * is the batch's one audit entry (the purged rows themselves are not audited one by one).
 */
export const retentionArchives = tenantTable(
  'retention_archives',
  {
    dataset: retentionDataset('dataset').notNull(),
    /** The R2 key, under the client's storage prefix. */
    objectKey: varchar('object_key', { length: 1024 }).notNull(),
    /** Top-level records in the object (posts with their decisions count as one). */
    recordCount: integer('record_count').notNull(),
    /** Rows deleted from the database, children included. */
    deletedRows: integer('deleted_rows').notNull(),
    byteSize: integer('byte_size').notNull(),
    sha256: varchar('sha256', { length: 64 }).notNull(),
    /** Rows older than this were expired when the batch was chosen. */
    cutoff: timestamptz('cutoff').notNull(),
    oldest: timestamptz('oldest').notNull(),
    newest: timestamptz('newest').notNull(),
  },
  (t) => [
    uniqueIndex('retention_archives_client_id_object_key_key').on(t.clientId, t.objectKey),
    check('retention_archives_counts', sql`${t.recordCount} > 0 AND ${t.deletedRows} >= ${t.recordCount} AND ${t.byteSize} > 0`),
    check('retention_archives_sha256_format', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
  ],
);

export type RetentionArchive = typeof retentionArchives.$inferSelect;
export type NewRetentionArchive = typeof retentionArchives.$inferInsert;
